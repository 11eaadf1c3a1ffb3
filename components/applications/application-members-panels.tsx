"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState, type ReactNode } from "react";
import { DateTime } from "@/components/date-time";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";

// The application page's people (issue 14 item 5): who can sign in and
// through what, live sessions (with "End session" per member), recent
// sign-ins and refusals, and back-channel logouts, failures first.

const PAGE_SIZE = 25;

const SIGN_IN_REASONS: Record<string, string> = {
  holds_application: "holds the application",
  application_not_held: "does not hold the application",
};

const LOGOUT_STATUS: Record<string, string> = { failed: "Given up", pending: "Retrying", delivered: "Delivered", not_required: "Nothing to send" };

function Panel({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <h3 id={headingId} className="text-sm font-semibold text-slate-900">
        {title}
      </h3>
      <p className="text-xs text-slate-600">{description}</p>
      {children}
    </section>
  );
}

function WhoCanSignIn({ applicationId }: { applicationId: string }) {
  const trpc = useTRPC();
  const holders = useInfiniteQuery(
    trpc.access.whoHas.infiniteQueryOptions({ subject: { kind: "application", itemId: applicationId }, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }),
  );
  return (
    <Panel title="Who can sign in" description="Members who hold the application now (directly, or through a role, group or department) and can sign in.">
      <ListState query={holders} loading="Loading who can sign in…" failure="Who can sign in could not be loaded" empty="Nobody can sign in to it yet." inline moreFailure="More members could not be loaded">
        {(items) => (
          <ul aria-label="Members who can sign in" className="divide-y divide-slate-100 text-sm">
            {items.map((holder) => (
              <li key={holder.memberId} className="py-1.5">
                <Link href={`/console/members/${holder.memberId}?tab=access`} className="font-medium text-brand-700 underline">
                  {holder.fullName}
                </Link>{" "}
                <span className="text-xs text-slate-600">{holder.paths.map((path) => path.description).join("; ")}</span>
              </li>
            ))}
          </ul>
        )}
      </ListState>
    </Panel>
  );
}

function LiveSessions({ applicationId, name }: { applicationId: string; name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const { askConfirmation, confirmDialog } = useConfirm();
  const sessions = useInfiniteQuery(trpc.applicationMembers.liveSessions.infiniteQueryOptions({ applicationId, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }));
  const end = useMutation(
    trpc.applicationMembers.endSession.mutationOptions({
      onSettled: () => Promise.all([queryClient.invalidateQueries(trpc.applicationMembers.liveSessions.pathFilter()), queryClient.invalidateQueries(trpc.applicationMembers.logoutDeliveries.pathFilter())]),
    }),
  );
  return (
    <Panel title="Live sessions" description="Members holding tokens of this application that have not expired. Ending one revokes them and tells the application.">
      <SuccessStatus message={notice} />
      {end.error ? <FormAlert>{end.error.message}</FormAlert> : null}
      <ListState query={sessions} loading="Loading live sessions…" failure="Live sessions could not be loaded" empty="Nobody is signed in to it." inline moreFailure="More sessions could not be loaded">
        {(items) => (
          <ul aria-label="Live sessions" className="divide-y divide-slate-100 text-sm">
            {items.map((session) => (
              <li key={session.memberId} className="flex flex-wrap items-baseline gap-x-3 py-1.5">
                <span className="font-medium">{session.memberName}</span>
                <span className="text-xs text-slate-600">
                  {session.lastSignInAt ? (
                    <>
                      signed in <DateTime value={session.lastSignInAt} />
                    </>
                  ) : (
                    "signed in"
                  )}
                  {session.expiresAt ? (
                    <>
                      {" "}
                      · until <DateTime value={session.expiresAt} />
                    </>
                  ) : null}
                </span>
                <button
                  type="button"
                  disabled={end.isPending}
                  className="ml-auto text-xs font-medium text-red-700 underline disabled:opacity-60"
                  onClick={async () => {
                    setNotice(null);
                    end.reset();
                    const confirmed = await askConfirmation({
                      title: `End ${session.memberName}'s session at ${name}?`,
                      message: "Their tokens there stop working now and the application is told to sign them out. They stay signed in to Tenure and may sign in again.",
                      confirmLabel: "End session",
                      destructive: true,
                    });
                    if (confirmed) end.mutate({ applicationId, memberId: session.memberId }, { onSuccess: () => setNotice(`Ended ${session.memberName}'s session.`) });
                  }}
                >
                  End session<span className="sr-only"> of {session.memberName}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </ListState>
      {confirmDialog}
    </Panel>
  );
}

function RecentSignIns({ applicationId }: { applicationId: string }) {
  const trpc = useTRPC();
  const signIns = useInfiniteQuery(trpc.applicationMembers.signIns.infiniteQueryOptions({ applicationId, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }));
  return (
    <Panel title="Recent sign-ins" description="Sign-ins through Tenure, newest first, refusals included.">
      <ListState query={signIns} loading="Loading recent sign-ins…" failure="Recent sign-ins could not be loaded" empty="Nobody has signed in through Tenure yet." inline moreFailure="More sign-ins could not be loaded">
        {(items) => (
          <ul aria-label="Recent sign-ins" className="divide-y divide-slate-100 text-sm">
            {items.map((line) => (
              <li key={line.id} className="flex flex-wrap gap-x-3 py-1.5">
                <DateTime value={line.createdAt} className="text-xs text-slate-600" />
                <span className="font-medium">{line.memberName}</span>
                <span className={line.outcome === "refused" ? "text-red-700" : "text-slate-700"}>
                  {line.outcome === "refused" ? "Refused" : "Signed in"}: {SIGN_IN_REASONS[line.reason] ?? line.reason}
                </span>
                {line.ipAddress ? <span className="text-xs text-slate-600">from {line.ipAddress}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </ListState>
    </Panel>
  );
}

function LogoutDeliveries({ applicationId }: { applicationId: string }) {
  const trpc = useTRPC();
  const deliveries = useInfiniteQuery(trpc.applicationMembers.logoutDeliveries.infiniteQueryOptions({ applicationId, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }));
  return (
    <Panel title="Back-channel logouts" description="Logout tokens sent to the application when members lost access: failures first, then the latest.">
      <ListState query={deliveries} loading="Loading logouts…" failure="Logouts could not be loaded" empty="No logout has been sent to it." inline moreFailure="More logouts could not be loaded">
        {(items) => (
          <ul aria-label="Back-channel logouts" className="divide-y divide-slate-100 text-sm">
            {items.map((line) => (
              <li key={line.id} className="flex flex-wrap gap-x-3 py-1.5">
                <DateTime value={line.deliveredAt ?? line.createdAt} className="text-xs text-slate-600" />
                <span className="font-medium">{line.memberName}</span>
                <span className={line.status === "failed" ? "font-medium text-red-700" : "text-slate-700"}>{LOGOUT_STATUS[line.status] ?? line.status}</span>
                <span className="text-xs text-slate-600">
                  {line.attempts} {line.attempts === 1 ? "attempt" : "attempts"}
                  {line.httpStatus ? `, HTTP ${line.httpStatus}` : ""}
                  {line.error ? `: ${line.error}` : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
      </ListState>
    </Panel>
  );
}

/** The four panels, for an application whose sign-in is enabled (who can sign in shows either way). */
export function ApplicationMembersPanels({ applicationId, name, signInEnabled }: { applicationId: string; name: string; signInEnabled: boolean }) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <WhoCanSignIn applicationId={applicationId} />
      {signInEnabled ? (
        <>
          <LiveSessions applicationId={applicationId} name={name} />
          <RecentSignIns applicationId={applicationId} />
          <LogoutDeliveries applicationId={applicationId} />
        </>
      ) : null}
    </div>
  );
}
