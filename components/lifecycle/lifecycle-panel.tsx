"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { SuccessStatus } from "@/components/form/success-status";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { ActionsMenu } from "@/components/lifecycle/actions-menu";
import { AccessReceipt } from "@/components/lifecycle/access-receipt";
import { CancelScheduleButton } from "@/components/lifecycle/cancel-schedule-button";
import { RegrantPanel } from "@/components/lifecycle/regrant-panel";
import { HardDeleteDialog } from "@/components/lifecycle/hard-delete-dialog";
import { LifecycleActionDialog } from "@/components/lifecycle/lifecycle-action-dialog";
import { RECYCLE_BIN_PATH } from "@/components/lifecycle/member-list-views";
import { outcomeNotice } from "@/components/lifecycle/outcome-notice";
import { scheduledLockStart, StateMeaning } from "@/components/lifecycle/state-meaning";
import { StateBadge } from "@/components/lifecycle/state-badge";
import { ACTION_LABELS } from "@/components/lifecycle/lifecycle-labels";
import { LoadFailure } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import type { TMemberLifecycle } from "@/server/lifecycle/get-member-lifecycle";
import type { TLifecycleAction } from "@/server/shared/member-states";
import { DateTime } from "@/components/date-time";

/** How long after its commit a receipt still "being verified" is re-read (each second) before the page leaves it to the background job. */
const VERIFY_WINDOW_MS = 20_000;

/** Whether the latest receipt awaits its proof and is recent enough to wait for here. */
function awaitsProof(data: TMemberLifecycle | undefined, fetchedAt: number): "waiting" | "gave-up" | null {
  const latest = data?.receipts[0];
  // Done once Tenure's sessions and every application's logout are confirmed (or a logout was given up on: nothing more will come).
  if (!latest || latest.timeToZeroAccessMs !== null || latest.applicationLogoutsFailed > 0) return null;
  return fetchedAt - new Date(latest.committedAt).getTime() < VERIFY_WINDOW_MS ? "waiting" : "gave-up";
}

type TMember = { id: string; fullName: string; username: string };

/**
 * The member page's Status section: the lifecycle state and what it means, one
 * primary action for the state and the others in a "More actions" menu
 * (destructive ones last), as the server offers them (`actions`, derived from
 * its state table and the viewer's authority), each behind a confirmation that
 * previews what it revokes, and the access receipts of past offboardings.
 */
export function LifecyclePanel({ member, initial, isSelf }: { member: TMember; initial: TMemberLifecycle; isSelf: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const lifecycle = useQuery(
    trpc.lifecycle.ofMember.queryOptions(
      { memberId: member.id },
      {
        initialData: initial,
        refetchInterval: (query) => (awaitsProof(query.state.data, query.state.dataUpdatedAt) === "waiting" ? 1000 : false),
      },
    ),
  );
  const [dialog, setDialog] = useState<TLifecycleAction | "hard-delete" | null>(null);
  const [notice, setNotice] = useState<{ text: string; details: string[] } | null>(null);
  // Until the page has the new state, the old state's actions are not offered (one would only be refused).
  const [settling, setSettling] = useState(false);

  const data = lifecycle.data;
  const open = (action: TLifecycleAction | "hard-delete") => {
    setNotice(null);
    setDialog(action);
  };
  const primary = data.actions.primary;
  const [latestReceipt, ...earlierReceipts] = data.receipts;
  const verificationGaveUp = awaitsProof(data, lifecycle.dataUpdatedAt) === "gave-up";

  const afterChange = async () => {
    // The whole page changed: state, relations, sessions, timeline, list.
    setSettling(true);
    try {
      await queryClient.invalidateQueries();
    } finally {
      setSettling(false);
    }
    router.refresh();
  };
  const noticeThenRefresh = async (text: string) => {
    setNotice({ text, details: [] });
    await afterChange();
  };

  return (
    <section aria-labelledby="lifecycle-heading" className="mb-6 space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      {data.state === "archived" ? (
        <p role="note" className="rounded-md border border-stone-300 bg-stone-100 px-3 py-2 text-sm font-medium text-stone-800">
          Archived: read-only until unarchived.
        </p>
      ) : null}
      {data.state === "deleted" && data.hardDeleteAt ? (
        <p role="note" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm font-medium text-rose-800">
          In the recycle bin until <DateTime value={data.hardDeleteAt} />. Then they are erased permanently, unless restored before.
        </p>
      ) : null}
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-2">
          <div className="flex items-center gap-2">
            <h2 id="lifecycle-heading" className="text-sm font-semibold text-slate-900">
              Status
            </h2>
            <span data-testid="lifecycle-state">
              <StateBadge state={data.state} />
            </span>
            {lifecycle.isRefetching && !lifecycle.isRefetchError ? <span className="text-xs text-slate-500">updating…</span> : null}
          </div>
          <StateMeaning lifecycle={data} />
          {data.scheduledLeaveAt && !isSelf ? <CancelScheduleButton schedule="leave" memberId={member.id} onDone={noticeThenRefresh} /> : null}
          {scheduledLockStart(data) && !isSelf ? <CancelScheduleButton schedule="lock" memberId={member.id} onDone={noticeThenRefresh} /> : null}
        </div>
        <div className="flex flex-wrap items-start gap-2" role="group" aria-label="Lifecycle actions" aria-busy={settling}>
          {primary ? (
            <button type="button" onClick={() => open(primary)} disabled={settling} className={PRIMARY_BUTTON}>
              {ACTION_LABELS[primary]}…
            </button>
          ) : null}
          <ActionsMenu
            label="More actions"
            items={[
              ...data.actions.more.map((action) => ({ key: action, label: `${ACTION_LABELS[action]}…` })),
              ...data.actions.destructive.map((action) => ({ key: action, label: `${ACTION_LABELS[action]}…`, destructive: true })),
              ...(data.actions.hardDelete ? [{ key: "hard-delete", label: "Delete permanently…", destructive: true }] : []),
            ]}
            onSelect={(key) => open(key as TLifecycleAction | "hard-delete")}
            disabled={settling}
          />
        </div>
      </div>
      {data.state === "active" && !isSelf ? (
        <RegrantPanel memberId={member.id} onDone={noticeThenRefresh} />
      ) : null}
      {isSelf ? <p className="text-xs text-slate-500">This is your own account: you may lock it, but another administrator changes its status otherwise.</p> : null}
      {lifecycle.isRefetchError ? <LoadFailure failure="The status could not be refreshed" error={lifecycle.error} onRetry={lifecycle.refetch} /> : null}
      <SuccessStatus message={notice?.text ?? null}>
        {notice && notice.details.length > 0 ? (
            <ul className="mt-1 list-inside list-disc">
              {notice.details.map((detail) => (
                <li key={detail}>{detail}</li>
              ))}
            </ul>
          ) : null}
      </SuccessStatus>
      {latestReceipt ? <AccessReceipt receipt={latestReceipt} verificationGaveUp={verificationGaveUp} /> : null}
      {earlierReceipts.length > 0 ? (
        <details className="text-sm">
          <summary className="cursor-pointer text-slate-600">Earlier access receipts ({earlierReceipts.length})</summary>
          <div className="mt-2 space-y-2">
            {earlierReceipts.map((receipt) => (
              <AccessReceipt key={receipt.id} receipt={receipt} verificationGaveUp />
            ))}
          </div>
        </details>
      ) : null}

      {dialog === "hard-delete" ? (
        <HardDeleteDialog
          member={member}
          onClose={() => setDialog(null)}
          onErased={() => {
            // Not a refetch of this page's queries: the member no longer exists.
            void queryClient.invalidateQueries(trpc.lifecycle.recycleBin.pathFilter());
            void queryClient.invalidateQueries(trpc.members.list.pathFilter());
            router.push(`${RECYCLE_BIN_PATH}?erased=1`);
          }}
        />
      ) : dialog ? (
        <LifecycleActionDialog
          action={dialog}
          memberIds={[member.id]}
          subject={member.fullName}
          onClose={() => setDialog(null)}
          onDone={(outcome) => {
            setDialog(null);
            setNotice(outcomeNotice(outcome, member.fullName));
            void afterChange();
          }}
        />
      ) : null}
    </section>
  );
}
