"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { QueryStatus } from "@/components/list/list-state";
import { useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { DateTime } from "@/components/date-time";
import { PROVISIONING_STATUSES } from "@/server/provisioning/schemas";
import { provisioningStatusLabel } from "@/components/provisioning/provisioning-labels";
import { ScimSettingsForm } from "@/components/provisioning/scim-settings-form";
import { ReconciliationRuns } from "@/components/provisioning/reconciliation-runs";

/**
 * Settings of an application → Provisioning (SCIM): the form, Test connection,
 * accounts by state, the dead letters with Retry, and the reconciliation runs
 * (the first one a dry run an owner approves before accounts follow Tenure).
 * For the application's page (app/console/apps/[applicationId]).
 */
export function ApplicationProvisioningPanel({ applicationId }: { applicationId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const overview = useQuery(trpc.provisioning.overview.queryOptions({ applicationId }));
  const test = useMutation(trpc.provisioning.testConnection.mutationOptions());
  const retry = useMutation(trpc.provisioning.retryDeadLetter.mutationOptions({ onSuccess: () => queryClient.invalidateQueries() }));
  const approve = useMutation(trpc.provisioning.approve.mutationOptions({ onSuccess: () => queryClient.invalidateQueries() }));
  const { requireStepUp, stepUpDialog } = useStepUp();
  const [notice, setNotice] = useState<string | null>(null);

  if (overview.isPending || overview.isError) return <QueryStatus query={overview} loading="Loading…" failure="Provisioning could not be loaded" />;
  const data = overview.data;
  const submitApprove = () =>
    approve.mutate(
      { applicationId },
      { onSuccess: (result) => setNotice(`Provisioning is on: ${result.queued} current holder(s) queued.`), onError: (error) => void requireStepUp(error, submitApprove) },
    );

  return (
    <section aria-labelledby="provisioning-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="provisioning-heading" className="text-base font-semibold text-slate-900">
        Provisioning (SCIM)
      </h2>
      <p className="text-sm text-slate-700" data-testid="provisioning-status">
        {!data.configured ? "Not connected." : data.settings?.enabled ? <>On since <DateTime value={data.settings.approvedAt ?? new Date()} />: accounts follow Tenure.</> : "Connected, not approved yet: run a dry-run reconciliation and approve it."}
      </p>
      <ScimSettingsForm applicationId={applicationId} configured={data.configured} initial={data.settings ? { baseUrl: data.settings.baseUrl, deprovisionMode: data.settings.deprovisionMode === "delete" ? "delete" : "deactivate", pushGroups: data.settings.pushGroups, rateLimitPerSecond: data.settings.rateLimitPerSecond, attributeMapping: data.settings.attributeMapping } : null} />
      {data.configured ? (
        <div className="flex flex-wrap items-center gap-3">
          <button type="button" className={SECONDARY_BUTTON} disabled={test.isPending} onClick={() => test.mutate({ applicationId })}>
            {test.isPending ? "Testing…" : "Test connection"}
          </button>
          {!data.settings?.enabled ? (
            <button type="button" className={PRIMARY_BUTTON} disabled={approve.isPending} onClick={submitApprove}>
              Approve and turn on
            </button>
          ) : null}
        </div>
      ) : null}
      {test.data ? test.data.ok ? <SuccessStatus message={test.data.message} /> : <FormAlert>{test.data.message}</FormAlert> : null}
      {test.error ? <FormAlert>{test.error.message}</FormAlert> : null}
      {approve.error && !approve.error.data?.stepUpRequired ? <FormAlert>{approve.error.message}</FormAlert> : null}
      <SuccessStatus message={notice} />
      <dl className="grid grid-cols-5 gap-2 text-sm" aria-label="Accounts by state">
        {PROVISIONING_STATUSES.map((status) => (
          <div key={status} className="rounded border border-slate-100 p-2">
            <dt className="text-xs text-slate-500">{provisioningStatusLabel(status)}</dt>
            <dd className="font-semibold" data-testid={`provisioning-count-${status}`}>{data.counts[status]}</dd>
          </div>
        ))}
      </dl>
      <div className="space-y-1">
        <h3 className="text-sm font-semibold text-slate-900">Failed after every retry</h3>
        {data.deadLetters.length === 0 ? (
          <p className="text-sm text-slate-600">None.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {data.deadLetters.map((letter) => (
              <li key={letter.id} className="flex items-center justify-between gap-3 py-1">
                <span>
                  {letter.username ?? `Member ${letter.memberId}`}: {letter.error} ({letter.attempts} attempt(s), <DateTime value={letter.failedAt} />)
                </span>
                <button type="button" className={SECONDARY_BUTTON} disabled={retry.isPending} onClick={() => retry.mutate({ applicationId, deadLetterId: letter.id })}>
                  Retry
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      {data.settings?.pushGroups ? (
        <div className="space-y-1" data-testid="provisioning-groups">
          <h3 className="text-sm font-semibold text-slate-900">Groups</h3>
          <p className="text-sm text-slate-600">{data.groups.pushed} group(s) pushed to the application.</p>
          {data.groups.failing.length > 0 ? (
            <ul className="text-sm text-rose-800">
              {data.groups.failing.map((group) => (
                <li key={group.groupId}>
                  {group.name ?? `Group ${group.groupId} (deleted)`}: {group.error} (tried again on the group&rsquo;s next change)
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {data.configured ? <ReconciliationRuns applicationId={applicationId} /> : null}
      {stepUpDialog}
    </section>
  );
}
