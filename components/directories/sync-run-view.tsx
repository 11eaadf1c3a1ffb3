"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { ProgressBar } from "@/components/imports/progress-bar";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { ListState, QueryStatus } from "@/components/list/list-state";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { ACTIVE_SYNC_STATUSES, SYNC_ACTION_LABELS, SYNC_STATUS_LABELS, WAITING_SYNC_STATUSES, syncReportHref } from "@/components/directories/sync-labels";

const ACTIONS = ["create", "update", "move", "link", "deprovision", "reenable", "error", "unchanged"] as const;
type TAction = (typeof ACTIONS)[number];

function describeChanges(changes: Record<string, { before: unknown; after: unknown }> | null): string {
  if (!changes) return "";
  return Object.entries(changes)
    .map(([field, change]) => `${field}: ${JSON.stringify(change.before ?? "—")} → ${JSON.stringify(change.after ?? "—")}`)
    .join("; ");
}

/** The entries of one action, a page at a time. */
function PlanEntries({ runId, action }: { runId: string; action: TAction }) {
  const trpc = useTRPC();
  const entries = useInfiniteQuery(trpc.directorySync.entries.infiniteQueryOptions({ runId, action, limit: 50 }, { getNextPageParam: (page) => page.nextCursor }));
  return (
    <ListState
      query={entries}
      loading="Loading the entries…"
      failure="The entries could not be loaded"
      empty="No entries."
      moreFailure="More entries could not be loaded"
      select={(data) => data.pages.flatMap((page) => page.entries)}
    >
      {(items) => (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm" aria-label={`${SYNC_ACTION_LABELS[action]} of this run`}>
          {items.map((entry) => (
            <li key={entry.entryId} className="space-y-1 px-3 py-2">
              <p className="font-medium break-words">{entry.username ?? entry.dn}</p>
              <p className="break-all text-xs text-slate-600">{entry.dn}</p>
              {entry.changes ? <p className="break-words text-xs text-slate-700">{describeChanges(entry.changes)}</p> : null}
              {entry.errors?.map((error, index) => (
                <p key={index} className="text-xs text-red-700">
                  {error.field ? `${error.field}: ` : ""}
                  {error.message}
                </p>
              ))}
            </li>
          ))}
        </ul>
      )}
    </ListState>
  );
}

/** One run: progress while it reads and applies, the plan by action, approve or cancel while it waits, the report. */
export function SyncRunView({ runId, canApprove }: { runId: string; canApprove: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [action, setAction] = useState<TAction>("create");
  const query = useQuery({
    ...trpc.directorySync.run.queryOptions({ runId }),
    refetchInterval: (current) => (current.state.data && ACTIVE_SYNC_STATUSES.has(current.state.data.status) ? 1000 : false),
  });
  const settle = async () => {
    await queryClient.invalidateQueries(trpc.directorySync.pathFilter());
  };
  const approve = useMutation(trpc.directorySync.approve.mutationOptions({ onSuccess: settle }));
  const cancel = useMutation(trpc.directorySync.cancel.mutationOptions({ onSuccess: settle }));
  const { requireStepUp, stepUpDialog } = useStepUp();
  const { askConfirmation, confirmDialog } = useConfirm();

  if (query.isPending || query.isError) return <QueryStatus query={query} loading="Loading the run…" failure="This run could not be loaded" />;
  const run = query.data;
  const approveRun = () => approve.mutate({ runId }, { onError: (error) => void requireStepUp(error, approveRun) });
  const confirmApprove = async () => {
    const confirmed = await askConfirmation({
      title: "Apply this plan?",
      message: `${run.creates} members will be created, ${run.links} linked, ${run.updates + run.moves} updated and ${run.deprovisions} deprovisioned with the directory's action.`,
      confirmLabel: "Apply the plan",
      destructive: true,
    });
    if (confirmed) approveRun();
  };
  const confirmCancel = async () => {
    if (await askConfirmation({ title: "Cancel this run?", message: "Nothing more of its plan is applied.", confirmLabel: "Cancel the run", destructive: true })) cancel.mutate({ runId });
  };
  const actionError = (approve.error && !isStepUpRequired(approve.error) ? approve.error : null) ?? cancel.error;
  const counts: [TAction, number][] = [
    ["create", run.creates],
    ["update", run.updates],
    ["move", run.moves],
    ["link", run.links],
    ["deprovision", run.deprovisions],
    ["reenable", run.reenables],
    ["error", run.errors],
    ["unchanged", run.unchanged],
  ];
  const actionable = run.creates + run.updates + run.moves + run.links + run.deprovisions + run.reenables;
  const active = ACTIVE_SYNC_STATUSES.has(run.status);
  return (
    <section aria-labelledby="run-heading" className="space-y-4 rounded-lg border border-slate-200 bg-slate-50 p-4 sm:p-6">
      {stepUpDialog}
      {confirmDialog}
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="run-heading" className="text-lg font-semibold">
          {run.dryRun ? "First sync (dry run)" : run.kind === "full" ? "Full sync" : "Incremental sync"} of {run.directoryName}
        </h2>
        <p className="text-sm text-slate-600">
          <span data-testid="sync-status">{SYNC_STATUS_LABELS[run.status] ?? run.status}</span>
        </p>
      </header>
      {run.status === "reading" || run.status === "queued" ? (
        <p role="status" className="text-sm text-slate-600">
          {run.entriesRead.toLocaleString("en")} entries read…
        </p>
      ) : null}
      {run.status === "applying" ? <ProgressBar label="Applying" value={run.applied} max={Math.max(actionable, 1)} detail={`${run.applied.toLocaleString("en")} of ${actionable.toLocaleString("en")} done`} /> : null}
      {run.status === "stopped" && run.stopReason ? <FormAlert>{run.stopReason}</FormAlert> : null}
      {run.status === "awaiting_approval" ? <FormAlert tone="info">Nothing has changed yet. Review the plan; an owner approves it to apply it exactly as listed.</FormAlert> : null}
      {run.status === "failed" ? <FormAlert>This run failed: {run.failureMessage}</FormAlert> : null}
      {run.status === "succeeded" ? <SuccessStatus message={`Sync finished: ${run.applied.toLocaleString("en")} changes applied, ${run.errors.toLocaleString("en")} errors.`} /> : null}
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        {counts.map(([key, value]) => (
          <div key={key} className="rounded-md border border-slate-200 bg-white px-3 py-2">
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{SYNC_ACTION_LABELS[key]}</dt>
            <dd className="text-xl font-semibold tabular-nums" data-testid={`count-${key}`}>
              {value.toLocaleString("en")}
            </dd>
          </div>
        ))}
      </dl>
      <div className="flex flex-wrap gap-3">
        {WAITING_SYNC_STATUSES.has(run.status) && canApprove ? (
          <button type="button" className={PRIMARY_BUTTON} disabled={approve.isPending} onClick={() => void confirmApprove()}>
            {approve.isPending ? "Approving…" : "Approve and apply"}
          </button>
        ) : null}
        {WAITING_SYNC_STATUSES.has(run.status) && !canApprove ? <p className="text-sm text-slate-600">An owner approves this plan.</p> : null}
        {WAITING_SYNC_STATUSES.has(run.status) || active ? (
          <button type="button" className={SECONDARY_BUTTON} disabled={cancel.isPending} onClick={() => void confirmCancel()}>
            Cancel the run
          </button>
        ) : null}
        <a href={syncReportHref(runId, false)} download className={SECONDARY_BUTTON}>
          Download the report (CSV)
        </a>
      </div>
      {actionError ? <FormAlert>The run could not be changed: {actionError.message}</FormAlert> : null}
      {!active ? (
        <div className="space-y-3">
          <div className="flex flex-wrap gap-2" role="group" aria-label="Show entries">
            {ACTIONS.map((key) => (
              <button key={key} type="button" aria-pressed={action === key} onClick={() => setAction(key)} className={action === key ? PRIMARY_BUTTON : SECONDARY_BUTTON}>
                {SYNC_ACTION_LABELS[key]}
              </button>
            ))}
          </div>
          <PlanEntries runId={runId} action={action} />
        </div>
      ) : null}
    </section>
  );
}
