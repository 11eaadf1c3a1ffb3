"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { formatDateTime } from "@/components/members/member-labels";
import { useTimeZone } from "@/components/date-time";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { SessionSummary } from "@/components/members/session-summary";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";

const PAGE_SIZE = 20;

/** Self-service → Security: where the member is signed in; sign out any other browser, or all of them. */
export function MySessions() {
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const headingId = useId();
  const [notice, setNotice] = useState<string | null>(null);
  const { askConfirmation, confirmDialog } = useConfirm();
  const sessions = useInfiniteQuery(trpc.selfService.sessions.infiniteQueryOptions({ limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }));
  const refresh = () => queryClient.invalidateQueries(trpc.selfService.sessions.pathFilter());
  const revokeOne = useMutation(trpc.selfService.revokeSession.mutationOptions({ onSettled: refresh }));
  const revokeOthers = useMutation(trpc.selfService.revokeOtherSessions.mutationOptions({ onSettled: refresh }));
  const pending = revokeOne.isPending || revokeOthers.isPending;
  const failure = revokeOne.error ?? revokeOthers.error;
  const start = () => {
    setNotice(null);
    revokeOne.reset();
    revokeOthers.reset();
  };

  const body = (
    <ListState query={sessions} loading="Loading your sessions…" failure="Your sessions could not be loaded" empty="No open sessions." inline moreFailure="More sessions could not be loaded">
      {(items) => (
          <ul aria-label="Your sessions" className="divide-y divide-slate-100 text-sm">
            {items.map((session) => (
              <li key={session.id} className="flex items-start gap-3 py-2" data-testid="my-session" data-current={session.current ? "true" : undefined}>
                <SessionSummary session={session} currentLabel="this browser" />
                {session.current ? null : (
                  <button
                    type="button"
                    disabled={pending}
                    className="text-xs font-medium text-red-700 hover:underline disabled:opacity-60"
                    onClick={() => {
                      start();
                      revokeOne.mutate({ sessionId: session.id }, { onSuccess: () => setNotice(`Signed out the session on ${session.device}.`) });
                    }}
                  >
                    Sign out
                    {/* The row's context for a screen reader: every row has a "Sign out". */}
                    <span className="sr-only">
                      {" "}
                      on {session.device}, signed in {formatDateTime(session.createdAt, timeZone)}
                    </span>
                  </button>
                )}
              </li>
            ))}
          </ul>
      )}
    </ListState>
  );
  const hasOthers = (sessions.data?.pages.flatMap((page) => page.items).filter((session) => !session.current).length ?? 0) > 0;

  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex items-center justify-between gap-2">
        <h2 id={headingId} className="text-sm font-semibold text-slate-900">
          Where you are signed in
        </h2>
        {hasOthers ? (
          <button
            type="button"
            disabled={pending}
            className="text-sm font-medium text-red-700 hover:underline disabled:opacity-60"
            onClick={async () => {
              start();
              const confirmed = await askConfirmation({
                title: "Sign out every other browser and device?",
                message: "This one stays signed in.",
                confirmLabel: "Sign out other sessions",
                destructive: true,
              });
              if (!confirmed) return;
              revokeOthers.mutate(undefined, { onSuccess: ({ revoked }) => setNotice(`Signed out ${revoked} other session${revoked === 1 ? "" : "s"}.`) });
            }}
          >
            Sign out all other sessions
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
