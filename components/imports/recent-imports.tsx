"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { IMPORT_STATUS_LABELS, importHref } from "@/components/imports/import-labels";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import { DateTime } from "@/components/date-time";

/** The organisation's latest imports, each opening its summary or report. */
export function RecentImports({ currentId }: { currentId: string | null }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.imports.list.queryOptions({ limit: 10 }));

  const body = (
    <ListState query={list} loading="Loading recent imports…" failure="Recent imports could not be loaded" empty="No imports yet.">
      {(items) => (
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table aria-label="Recent imports" className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">File</th>
              <th scope="col" className="px-3 py-2">Uploaded</th>
              <th scope="col" className="px-3 py-2">Status</th>
              <th scope="col" className="px-3 py-2 text-right">Rows</th>
              <th scope="col" className="px-3 py-2 text-right">Errors</th>
              <th scope="col" className="px-3 py-2 text-right">Created</th>
              <th scope="col" className="px-3 py-2 text-right">Updated</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {items.map((item) => (
              <tr key={item.id} className={item.id === currentId ? "bg-brand-50" : undefined}>
                <th scope="row" className="px-3 py-2 text-left font-medium">
                  <Link href={importHref(item.id)} className="text-brand-700 hover:underline">
                    {item.fileName}
                  </Link>
                </th>
                <td className="px-3 py-2 whitespace-nowrap">
                  <DateTime value={item.createdAt} />
                  {item.createdByName ? <span className="text-slate-600"> by {item.createdByName}</span> : null}
                </td>
                <td className="px-3 py-2">{IMPORT_STATUS_LABELS[item.status]}</td>
                <td className="px-3 py-2 text-right tabular-nums">{item.totalRows.toLocaleString("en")}</td>
                <td className="px-3 py-2 text-right tabular-nums">{(item.errorRows + item.failedCount).toLocaleString("en")}</td>
                <td className="px-3 py-2 text-right tabular-nums">{item.createdCount.toLocaleString("en")}</td>
                <td className="px-3 py-2 text-right tabular-nums">{item.updatedCount.toLocaleString("en")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      )}
    </ListState>
  );
  return (
    <section aria-labelledby="recent-imports-heading" className="space-y-3">
      <h2 id="recent-imports-heading" className="text-lg font-semibold">
        Recent imports
      </h2>
      {body}
    </section>
  );
}
