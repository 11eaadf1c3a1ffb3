"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";
import { QueryStatus } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import { DateTime } from "@/components/date-time";

const FINDING_LABEL: Record<string, string> = {
  missing: "Missing at the application (to create)",
  linked: "Found by userName (to link)",
  reenabled: "Re-enabled at the application (to close)",
  unmanaged: "Not managed by Tenure (reported)",
};

const summary = (findings: Record<string, number>) =>
  Object.entries(findings).map(([finding, count]) => `${FINDING_LABEL[finding] ?? finding}: ${count}`).join(" · ") || "No drift";

/** Reconciliation runs with their progress and report; a run still in progress is polled. */
export function ReconciliationRuns({ applicationId }: { applicationId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runs = useQuery({
    ...trpc.provisioning.reconciliations.queryOptions({ applicationId }),
    refetchInterval: (query) => (query.state.data?.some((run) => run.status === "queued" || run.status === "running") ? 1000 : false),
  });
  const [opened, setOpened] = useState<string | null>(null);
  const report = useQuery({ ...trpc.provisioning.reconciliationReport.queryOptions({ applicationId, reconciliationId: opened ?? "0" }), enabled: opened !== null });
  const start = useMutation(trpc.provisioning.startReconciliation.mutationOptions({ onSuccess: () => queryClient.invalidateQueries() }));

  return (
    <div className="space-y-2">
      <div className="flex items-center justify-between">
        <h3 className="text-sm font-semibold text-slate-900">Reconciliation</h3>
        <div className="flex gap-2">
          <button type="button" className={SECONDARY_BUTTON} disabled={start.isPending} onClick={() => start.mutate({ applicationId, dryRun: true })}>
            Dry run
          </button>
          <button type="button" className={SECONDARY_BUTTON} disabled={start.isPending} onClick={() => start.mutate({ applicationId, dryRun: false })}>
            Reconcile and fix
          </button>
        </div>
      </div>
      {start.error ? <FormAlert>{start.error.message}</FormAlert> : null}
      {runs.isPending || runs.isError ? (
        <QueryStatus query={runs} loading="Loading…" failure="Reconciliations could not be loaded" />
      ) : runs.data.length === 0 ? (
        <p className="text-sm text-slate-600">No reconciliation yet. The first one is a dry run: it lists the accounts to create (members who already hold the application) for your approval.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm" data-testid="reconciliation-runs">
          {runs.data.map((run) => (
            <li key={run.id} className="space-y-1 py-2">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{run.dryRun ? "Dry run" : "Reconciliation"}</span>
                <DateTime value={run.createdAt} />
                <span data-testid={`reconciliation-status-${run.id}`}>{run.status}</span>
                <span className="text-slate-600">{run.accountsRead} account(s) read</span>
                <button type="button" className="text-brand-700 underline" onClick={() => setOpened(opened === run.id ? null : run.id)}>
                  {opened === run.id ? "Hide report" : "Report"}
                </button>
                <a className="text-brand-700 underline" href={`/api/provisioning-reconciliations/${run.id}/report`}>
                  Download CSV
                </a>
              </div>
              <p className="text-slate-700">{run.error ?? summary(run.findings)}</p>
              {opened === run.id && report.data ? (
                <ul className="ml-4 list-disc text-xs text-slate-700">
                  {report.data.items.map((item) => (
                    <li key={item.id}>
                      {FINDING_LABEL[item.finding] ?? item.finding}: {item.userName ?? item.remoteId} ({item.action})
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
