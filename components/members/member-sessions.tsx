"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { formatDateTime } from "@/components/members/member-labels";
import { useTimeZone } from "@/components/date-time";
import { MemberLoginHistory } from "@/components/members/member-sessions-history";
import { SessionSummary } from "@/components/members/session-summary";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";

const PAGE_SIZE = 20;

/** The member page's Sessions tab: open sessions (end one or all) and the sign-in history. */
export function MemberSessions({ memberId, memberName }: { memberId: string; memberName: string }) {
  return (
    <div className="space-y-6">
      <OpenSessions memberId={memberId} memberName={memberName} />
      <MemberLoginHistory memberId={memberId} />
    </div>
  );
}

function OpenSessions({ memberId, memberName }: { memberId: string; memberName: string }) {
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const headingId = useId();
  const [notice, setNotice] = useState<string | null>(null);
  const { askConfirmation, confirmDialog } = useConfirm();
  const sessions = useInfiniteQuery(
    trpc.security.memberSessions.infiniteQueryOptions({ memberId, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }),
  );
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.security.memberSessions.pathFilter()),
      queryClient.invalidateQueries(trpc.members.timeline.pathFilter()),
    ]);
  const revokeOne = useMutation(trpc.security.revokeSession.mutationOptions({ onSettled: refresh }));
  const revokeAll = useMutation(trpc.security.revokeAllSessions.mutationOptions({ onSettled: refresh }));
  const pending = revokeOne.isPending || revokeAll.isPending;
  const failure = revokeOne.error ?? revokeAll.error;

  const start = () => {
    setNotice(null);
    revokeOne.reset();
    revokeAll.reset();
  };

  const body = (
    <ListState
      query={sessions}
      loading="Loading sessions…"
      failure="The sessions could not be loaded"
      empty={`No open sessions: ${memberName} is not signed in anywhere.`}
      inline
      moreFailure="More sessions could not be loaded"
    >
      {(items) => (
          <ul aria-label="Open sessions" className="divide-y divide-slate-100 text-sm">
            {items.map((session) => (
              <li key={session.id} aria-label={session.device} className="flex items-start gap-3 py-2" data-testid="open-session">
                <SessionSummary session={session} currentLabel="your session" />
                <button
                  type="button"
                  disabled={pending}
                  className="text-xs text-red-700 hover:underline disabled:opacity-60"
                  onClick={async () => {
                    start();
                    const confirmed = await askConfirmation({
                      title: `End ${memberName}'s session on ${session.device}?`,
                      message: session.current ? "This is your own session: you will be signed out." : "That browser is signed out on its next request.",
                      confirmLabel: "End session",
                      destructive: true,
                    });
                    if (!confirmed) return;
                    revokeOne.mutate({ memberId, sessionId: session.id }, { onSuccess: () => setNotice(`Ended the session on ${session.device}.`) });
                  }}
                >
                  End session
                  {/* The row's context for a screen reader: every row has an "End session". */}
                  <span className="sr-only">
                    {" "}
                    on {session.device}, signed in {formatDateTime(session.createdAt, timeZone)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
      )}
    </ListState>
  );
  const hasSessions = (sessions.data?.pages[0]?.items.length ?? 0) > 0;

  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex items-center justify-between gap-2">
        <h2 id={headingId} className="text-sm font-semibold text-slate-900">
          Open sessions
        </h2>
        {hasSessions ? (
          <button
            type="button"
            disabled={pending}
            className="text-sm font-medium text-red-700 hover:underline disabled:opacity-60"
            onClick={async () => {
              start();
              const confirmed = await askConfirmation({
                title: `End all of ${memberName}'s sessions?`,
                message: "Every browser they use is signed out on its next request.",
                confirmLabel: "End all sessions",
                destructive: true,
              });
              if (!confirmed) return;
              revokeAll.mutate({ memberId }, { onSuccess: ({ revoked }) => setNotice(`Ended ${revoked} session${revoked === 1 ? "" : "s"}.`) });
            }}
          >
            End all sessions
          </button>
        ) : null}
      </div>
      <SuccessStatus message={notice} />
      {failure ? <FormAlert>{failure.message}</FormAlert> : null}
      {body}
      {confirmDialog}
    </section>
  );
}
