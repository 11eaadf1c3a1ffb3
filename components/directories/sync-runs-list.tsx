"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { DateTime } from "@/components/date-time";
import { FormAlert } from "@/components/form/field";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import { ACTIVE_SYNC_STATUSES, SYNC_STATUS_LABELS, syncRunHref } from "@/components/directories/sync-labels";

/** A directory's runs, newest first, and "Sync now" (the first sync is a dry run). */
export function SyncRunsList({ directoryId }: { directoryId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const list = useQuery({
    ...trpc.directorySync.runs.queryOptions({ directoryId, limit: 20 }),
    refetchInterval: (current) => (current.state.data?.runs.some((run) => ACTIVE_SYNC_STATUSES.has(run.status)) ? 2000 : false),
  });
  const start = useMutation(
    trpc.directorySync.start.mutationOptions({
      onSuccess: async ({ runId }) => {
        await queryClient.invalidateQueries(trpc.directorySync.runs.pathFilter());
        router.push(syncRunHref(directoryId, runId));
      },
    }),
  );
  const firstSync = list.data ? !list.data.directory.firstSyncApproved : false;
  return (
    <section aria-labelledby="sync-runs-heading" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="sync-runs-heading" className="text-lg font-semibold">
          Sync runs
        </h2>
        <button type="button" className={PRIMARY_BUTTON} disabled={start.isPending} onClick={() => start.mutate({ directoryId })}>
          {start.isPending ? "Starting…" : firstSync ? "Start the first sync (dry run)" : "Sync now"}
        </button>
      </div>
      {firstSync ? <FormAlert tone="info">The first sync only reads and plans: you review its plan, and an owner approves it before anything changes.</FormAlert> : null}
      {start.error ? <FormAlert>The sync could not start: {start.error.message}</FormAlert> : null}
      <ListState query={list} loading="Loading the runs…" failure="The runs could not be loaded" empty="No sync has run yet." select={(data) => data.runs}>
        {(runs) => (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table aria-label="Sync runs" className="min-w-full divide-y divide-slate-200 text-sm">
              <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2">Started</th>
                  <th scope="col" className="px-3 py-2">Kind</th>
                  <th scope="col" className="px-3 py-2">Status</th>
                  <th scope="col" className="px-3 py-2 text-right">Read</th>
                  <th scope="col" className="px-3 py-2 text-right">Errors</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {runs.map((run) => (
                  <tr key={run.id}>
                    <th scope="row" className="whitespace-nowrap px-3 py-2 text-left font-medium">
                      <Link href={syncRunHref(directoryId, run.id)} className="text-brand-700 hover:underline">
                        <DateTime value={run.createdAt} />
                      </Link>
                    </th>
                    <td className="px-3 py-2">{run.dryRun ? "Dry run" : run.kind === "full" ? "Full" : "Incremental"}</td>
                    <td className="px-3 py-2">{SYNC_STATUS_LABELS[run.status] ?? run.status}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{run.entriesRead.toLocaleString("en")}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{run.errors.toLocaleString("en")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ListState>
    </section>
  );
}
