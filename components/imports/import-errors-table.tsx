import type { TImportRowError } from "@/server/imports/get-import";
import { ScrollRegion } from "@/components/list/scroll-region";

/** The first row errors of an import: row number, username, field and message. */
export function ImportErrorsTable({ errors, total }: { errors: readonly TImportRowError[]; total: number }) {
  if (errors.length === 0) return null;
  return (
    <ScrollRegion label="Row errors, scrolls sideways" className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table aria-label="Row errors" className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="px-3 py-2 text-left text-sm text-slate-600">
          {total > errors.length ? `The first ${errors.length} errors; the error report has all of them.` : "Every error in this file."}
          {" "}Row 1 is the first member after the header line.
        </caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">Row</th>
            <th scope="col" className="px-3 py-2">Username</th>
            <th scope="col" className="px-3 py-2">Field</th>
            <th scope="col" className="px-3 py-2">Problem</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {errors.map((error, index) => (
            <tr key={`${error.rowNumber}-${index}`}>
              <td className="px-3 py-2 tabular-nums">{error.rowNumber.toLocaleString("en")}</td>
              <td className="px-3 py-2">{error.username ?? <span className="text-slate-600">none</span>}</td>
              <td className="px-3 py-2 font-mono text-xs">{error.field ?? <span className="font-sans text-slate-600">whole row</span>}</td>
              <td className="px-3 py-2">{error.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
