"use client";

import { useInfiniteQuery, type InfiniteData, type UseInfiniteQueryResult } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useId } from "react";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import type { TAppRouter } from "@/server/trpc/root";
import { DateTime } from "@/components/date-time";

const PAGE_SIZE = 20;

export const RESULT_LABELS: Record<string, { label: string; tone: string }> = {
  success: { label: "Signed in", tone: "bg-emerald-100 text-emerald-800" },
  failure: { label: "Failed", tone: "bg-red-100 text-red-800" },
  locked: { label: "Refused: locked", tone: "bg-amber-100 text-amber-800" },
  rate_limited: { label: "Refused: too many attempts", tone: "bg-amber-100 text-amber-800" },
  blocked: { label: "Refused", tone: "bg-slate-200 text-slate-800" },
  pending: { label: "Checking", tone: "bg-slate-100 text-slate-700" },
  cleared: { label: "Throttle cleared", tone: "bg-sky-100 text-sky-800" },
};

export const REASON_LABELS: Record<string, string> = {
  signed_in: "",
  wrong_password: "wrong password",
  wrong_current_password: "wrong current password when changing it",
  wrong_mfa_code: "wrong two-step verification code",
  no_password: "no password set",
  locked_out: "sign-in throttled after failed attempts",
  account_locked: "account locked",
  account_disabled: "account cannot sign in",
  address_rate_limit: "too many attempts from this address",
  account_rate_limit: "too many attempts on this account",
  abnormal_login: "abnormal sign-in refused",
  checking: "check in progress",
  checks_in_flight: "too many checks at once on this account",
  throttle_cleared: "by an administrator",
  directory_unreachable: "the directory could not be reached to check the password",
};

export const ABNORMAL_LABELS: Record<string, string> = { new_device: "new device", unusual_frequency: "unusually frequent" };

/** A member's sign-in attempts, newest first, for admins (the member page's Sessions tab). */
export function MemberLoginHistory({ memberId }: { memberId: string }) {
  const trpc = useTRPC();
  const history = useInfiniteQuery(
    trpc.security.loginHistory.infiniteQueryOptions({ memberId, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }),
  );
  return <LoginHistorySection history={history} />;
}

type THistoryQuery = UseInfiniteQueryResult<InfiniteData<inferRouterOutputs<TAppRouter>["security"]["loginHistory"]>, { message: string }>;

/** Sign-in attempts, newest first, a page at a time; abnormal ones stand out. */
function LoginHistorySection({ history }: { history: THistoryQuery }) {
  const headingId = useId();

  const body = (
    <ListState
      query={history}
      loading="Loading the sign-in history…"
      failure="The sign-in history could not be loaded"
      empty="No sign-in attempts recorded."
      inline
      moreFailure="More attempts could not be loaded"
    >
      {(attempts) => (
          <ol aria-label="Sign-in history" className="divide-y divide-slate-100 text-sm">
            {attempts.map((attempt) => {
              return (
                <li
                  key={attempt.id}
                  data-testid="login-attempt"
                  data-result={attempt.result}
                  data-abnormal={attempt.abnormal ? "true" : undefined}
                  className={`flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 ${attempt.abnormal ? "-mx-2 rounded bg-amber-50 px-2" : ""}`}
                >
                  <LoginAttemptDetails attempt={attempt} audience="admin" />
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
        Sign-in history
      </h2>
      {body}
    </section>
  );
}

type TAttemptShown = {
  at: Date;
  result: string;
  reason: string;
  abnormal: boolean;
  abnormalReasons: string[];
  device: string;
  ipAddress: string | null;
  login?: string;
  lockoutUntil?: Date | null;
};

/** One sign-in attempt as a line: when, result, reason, unusual signs, device and address. Admins also see the login typed and any throttle it started. */
export function LoginAttemptDetails({ attempt, audience }: { attempt: TAttemptShown; audience: "admin" | "member" }) {
  const result = RESULT_LABELS[attempt.result] ?? { label: attempt.result, tone: "bg-slate-100 text-slate-700" };
  const reason = REASON_LABELS[attempt.reason] ?? attempt.reason;
  return (
    <>
      <DateTime value={attempt.at} className="w-40 shrink-0 text-slate-600" />
      <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${result.tone}`}>{result.label}</span>
      {reason ? <span className="text-slate-700">{reason}</span> : null}
      {audience === "admin" && attempt.lockoutUntil ? <span className="text-amber-800">sign-in throttled until <DateTime value={attempt.lockoutUntil} /></span> : null}
      {attempt.abnormal ? (
        <span className="rounded bg-amber-200 px-1.5 py-0.5 text-xs font-semibold text-amber-900">
          {audience === "admin" ? "Abnormal" : "Unusual"}: {attempt.abnormalReasons.map((why) => ABNORMAL_LABELS[why] ?? why).join(", ")}
        </span>
      ) : null}
      <span className="basis-full text-xs text-slate-500 sm:basis-auto">
        {attempt.device} · {attempt.ipAddress ?? "address not recorded"}
        {audience === "admin" && attempt.login ? ` · as “${attempt.login}”` : ""}
      </span>
    </>
  );
}
