"use client";

import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useId, type ReactNode } from "react";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { formatDateTime } from "@/components/members/member-labels";
import { LoginAttemptDetails } from "@/components/members/member-sessions-history";
import { ListState } from "@/components/list/list-state";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { useTimeZone } from "@/components/date-time";
import { useTRPC } from "@/components/trpc/client";

const PAGE_SIZE = 20;

/**
 * Self-service → Security: the member's own sign-in attempts, newest first,
 * abnormal ones highlighted; "This wasn't me" locks the account at once and
 * signs this browser out too.
 */
export function MyLoginHistory() {
  const trpc = useTRPC();
  const headingId = useId();
  const { askConfirmation, confirmDialog } = useConfirm();
  const timeZone = useTimeZone();
  const history = useInfiniteQuery(trpc.security.myLoginHistory.infiniteQueryOptions({ limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }));
  const report = useMutation(
    trpc.selfService.reportNotMe.mutationOptions({
      // Every session has ended, this one too: sign-in explains what happened.
      onSuccess: () => void signOut({ callbackUrl: "/sign-in?reason=reported_not_me" }),
    }),
  );

  const reportAttempt = async (attempt: { id: string; at: Date; device: string; ipAddress: string | null }) => {
    const message: ReactNode = (
      <>
        <p>Your account is locked at once and every session ends, this one too.</p>
        <p>Your administrators are alerted; ask them to unlock it, then change your password.</p>
      </>
    );
    const confirmed = await askConfirmation({
      title: `Report the sign-in of ${attemptContext(attempt, timeZone)} as not yours?`,
      message,
      confirmLabel: "Report and lock my account",
      destructive: true,
    });
    if (confirmed) report.mutate({ attemptId: attempt.id });
  };

  const body = (
    <ListState
      query={history}
      loading="Loading your sign-in history…"
      failure="Your sign-in history could not be loaded"
      empty="No sign-in attempts recorded."
      inline
      moreFailure="More attempts could not be loaded"
    >
      {(attempts) => (
          <ol aria-label="Your sign-in history" className="divide-y divide-slate-100 text-sm">
            {attempts.map((attempt) => {
              return (
                <li
                  key={attempt.id}
                  data-testid="my-login-attempt"
                  data-abnormal={attempt.abnormal ? "true" : undefined}
                  className={`flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 ${attempt.abnormal ? "-mx-2 rounded bg-amber-50 px-2" : ""}`}
                >
                  <LoginAttemptDetails attempt={attempt} audience="member" />
                  {/* The sign-in of the browser in use is the member's own: nothing to report there. */}
                  {attempt.thisBrowser ? (
                    <span className="ml-auto rounded bg-emerald-50 px-1.5 py-0.5 text-xs font-medium text-emerald-800">This browser</span>
                  ) : (
                  <button
                    type="button"
                    disabled={report.isPending}
                    onClick={() => void reportAttempt(attempt)}
                    className="ml-auto text-xs font-medium text-red-700 hover:underline disabled:opacity-60"
                  >
                    This wasn&apos;t me
                    {/* Every row has this button: its name says which sign-in it reports. */}
                    <span className="sr-only">: {attemptContext(attempt, timeZone)}</span>
                  </button>
                  )}
                </li>
              );
            })}
          </ol>
      )}
    </ListState>
  );

  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id={headingId} className="text-sm font-semibold text-slate-900">
        Your sign-in history
      </h2>
      <p className="text-xs text-slate-500">Every attempt to sign in to your account. Unusual ones (a new device or network, or very frequent sign-ins) are highlighted.</p>
      {report.isError ? <FormAlert>Nothing was reported: {report.error.message}</FormAlert> : null}
      <SuccessStatus message={report.isSuccess ? "Reported. Your account is locked; signing you out…" : null} />
      {body}
      {confirmDialog}
    </section>
  );
}

/** One sign-in as words: when, on what, from where. */
function attemptContext(attempt: { at: Date; device: string; ipAddress: string | null }, timeZone: string): string {
  return `${formatDateTime(attempt.at, timeZone)} on ${attempt.device}${attempt.ipAddress ? ` from ${attempt.ipAddress}` : ""}`;
}
