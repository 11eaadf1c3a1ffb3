"use client";

import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { FIELD_LABELS } from "@/components/directories/directory-labels";
import type { TManagedField } from "@/server/directories/attribute-mapping";
import { ScrollRegion } from "@/components/list/scroll-region";

type TPreviewEntry = {
  dn: string;
  entryId: string | null;
  fields: Partial<Record<string, string | null>>;
  departmentPath: string[] | null;
  disabled: boolean;
  problems: { field: string | null; message: string }[];
};

export type TConnectionTestAnswer = { ok: boolean; message: string };
export type TPreviewAnswer = { ok: true; entries: TPreviewEntry[] } | { ok: false; message: string };

/** "Test connection"'s answer: what worked, or what to fix. */
export function ConnectionTestResult({ result }: { result: TConnectionTestAnswer | null }) {
  return (
    <>
      <SuccessStatus message={result?.ok ? result.message : null} />
      {result && !result.ok ? <FormAlert>{result.message}</FormAlert> : null}
    </>
  );
}

/** One mapped value, and under it, in words, why Tenure would refuse it. */
function Cell({ entry, field }: { entry: TPreviewEntry; field: string }) {
  const value = entry.fields[field] ?? null;
  const problems = entry.problems.filter((problem) => problem.field === field);
  return (
    <td className={`px-2 py-1 align-top ${problems.length > 0 ? "bg-red-50" : ""}`}>
      <span className="break-all">{value ?? <span className="text-slate-500">—</span>}</span>
      {problems.map((problem) => (
        <span key={problem.message} className="block text-xs font-medium text-red-700">
          {problem.message}
        </span>
      ))}
    </td>
  );
}

/** "Preview 20 entries": the entries mapped as a sync would map them, each refused field marked. */
export function PreviewResult({ result, fields }: { result: TPreviewAnswer | null; fields: TManagedField[] }) {
  if (!result) return null;
  if (!result.ok) return <FormAlert>{result.message}</FormAlert>;
  if (result.entries.length === 0) return <FormAlert tone="info">The user filter finds no entry under the base DN.</FormAlert>;
  const withProblems = result.entries.filter((entry) => entry.problems.length > 0).length;
  return (
    <section aria-labelledby="directory-preview-heading" className="space-y-2">
      <h3 id="directory-preview-heading" className="text-sm font-semibold text-slate-800">
        The first {result.entries.length} entries, mapped
      </h3>
      <p className="text-sm text-slate-700">{withProblems === 0 ? "Every entry passes Tenure's member rules." : `${withProblems} of them would not sync: see the marked fields.`}</p>
      {/* The table scrolls inside its own box, never the page. */}
      <ScrollRegion label="Preview of the mapped entries" className="max-w-full overflow-x-auto rounded-md border border-slate-200">
        <table className="min-w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs uppercase text-slate-600">
            <tr>
              <th scope="col" className="px-2 py-1">Entry</th>
              {fields.map((field) => (
                <th key={field} scope="col" className="px-2 py-1">{FIELD_LABELS[field]}</th>
              ))}
              <th scope="col" className="px-2 py-1">Department</th>
              <th scope="col" className="px-2 py-1">State</th>
            </tr>
          </thead>
          <tbody>
            {result.entries.map((entry) => {
              const general = entry.problems.filter((problem) => problem.field === null || !fields.includes(problem.field as TManagedField));
              return (
                <tr key={entry.dn} className="border-t border-slate-100">
                  <th scope="row" className="px-2 py-1 align-top font-normal">
                    <span className="break-all">{entry.dn}</span>
                    {general.map((problem) => (
                      <span key={problem.message} className="block text-xs font-medium text-red-700">
                        {problem.message}
                      </span>
                    ))}
                  </th>
                  {fields.map((field) => (
                    <Cell key={field} entry={entry} field={field} />
                  ))}
                  <td className="px-2 py-1 align-top">{entry.departmentPath === null ? "—" : entry.departmentPath.join(" / ") || "(top)"}</td>
                  <td className="px-2 py-1 align-top">{entry.disabled ? "Disabled" : "Enabled"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}
