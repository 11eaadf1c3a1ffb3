import type { TLoadedMember } from "@/components/members/load-member";

function Marker({ children, tone }: { children: string; tone: "brand" | "amber" }) {
  const colours = tone === "brand" ? "bg-brand-50 text-brand-700" : "bg-amber-100 text-amber-800";
  return <span className={`rounded px-2 py-0.5 text-xs font-medium ${colours}`}>{children}</span>;
}

/** The departments a member belongs to, the main one and those they head marked. */
export function MemberOrganisation({ member }: { member: TLoadedMember }) {
  if (member.departments.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">
        <p className="text-base font-medium text-slate-800">Not in any department yet.</p>
        <p className="mt-1 text-sm text-slate-600">Adding members to departments and moving them arrive with the directory.</p>
      </div>
    );
  }
  const departments = [...member.departments].sort(
    (a, b) => Number(b.id === member.mainDepartmentId) - Number(a.id === member.mainDepartmentId) || a.name.localeCompare(b.name, "en"),
  );
  return (
    <ul aria-label="Departments" className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
      {departments.map((department) => (
        <li key={department.id.toString()} className="flex items-center gap-3 px-4 py-3 text-sm">
          <span className="font-medium text-slate-900">{department.name}</span>
          {department.id === member.mainDepartmentId ? <Marker tone="brand">Main department</Marker> : null}
          {department.isHead ? <Marker tone="amber">Head</Marker> : null}
        </li>
      ))}
    </ul>
  );
}
