import { ScrollRegion } from "@/components/list/scroll-region";

type TRefusal = { memberId: string; username: string | null; message: string };

/** Members an action left alone, each with the reason, as the server gave it. */
export function RefusedMembers({ title, refused }: { title: string; refused: readonly TRefusal[] }) {
  return (
    <div className="space-y-1">
      <h4 className="text-sm font-semibold text-red-800">{title}</h4>
      <ScrollRegion label={`${title}, scrolls`} className="max-h-56 overflow-y-auto rounded border border-red-200 bg-white">
        <table aria-label="Refused members" className="min-w-full divide-y divide-red-100 text-sm">
          <thead className="bg-red-50 text-left text-xs font-semibold text-red-800">
            <tr>
              <th scope="col" className="px-2 py-1">
                Member
              </th>
              <th scope="col" className="px-2 py-1">
                Reason
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-red-50">
            {refused.map((refusal) => (
              <tr key={refusal.memberId}>
                <th scope="row" className="px-2 py-1 text-left font-medium">
                  {refusal.username ?? `#${refusal.memberId}`}
                </th>
                <td className="px-2 py-1">{refusal.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </div>
  );
}
