import { ACTION_DONE, countSessions, formatMilliseconds, RELATION_KIND_ORDER, RELATION_LABELS } from "@/components/lifecycle/lifecycle-labels";
import type { TMemberLifecycle } from "@/server/lifecycle/get-member-lifecycle";
import type { TLifecycleAction } from "@/server/shared/member-states";
import { DateTime } from "@/components/date-time";
import { ReceiptApplications } from "@/components/lifecycle/receipt-applications";
import { ReceiptAccounts } from "@/components/lifecycle/receipt-accounts";

export type TReceipt = TMemberLifecycle["receipts"][number];

/**
 * The proof an offboarding left: what was revoked (by kind, by name), how many
 * sessions were ended, and how long after the commit every one of them was
 * confirmed unusable by the same check each request runs, every
 * application had confirmed its back-channel logout, and every account
 * provisioned in an application (SCIM) was closed there.
 */
export function AccessReceipt({ receipt, verificationGaveUp = false }: { receipt: TReceipt; verificationGaveUp?: boolean }) {
  const revoked = RELATION_KIND_ORDER.map((kind) => ({ kind, items: receipt.revoked[kind] ?? [] })).filter((entry) => entry.items.length > 0);
  // Every effective role, app and permission that ended, inherited ones (departments, groups) included.
  const lostAccess = (receipt.revoked.effectiveAccess ?? []) as { kind?: string; name: string }[];
  const done = ACTION_DONE[receipt.action as TLifecycleAction] ?? receipt.action;
  return (
    <section aria-label="Access receipt" className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
      <h3 className="font-semibold text-slate-900">
        Access receipt{" "}
        <span className="font-normal text-slate-600">
          — {done.replace(/:$/, "")} <DateTime value={receipt.committedAt} /> by <span data-testid="receipt-actor">{receipt.actorName}</span>
        </span>
      </h3>
      <dl className="grid grid-cols-[11rem_1fr] gap-x-3 gap-y-1">
        <dt className="text-slate-600">Revoked</dt>
        <dd data-testid="receipt-revoked">
          {revoked.length === 0 ? (
            <span className="italic text-slate-500">nothing</span>
          ) : (
            <ul className="space-y-0.5">
              {revoked.map(({ kind, items }) => (
                <li key={kind}>
                  <span className="text-slate-600">{RELATION_LABELS[kind]}:</span> <span className="font-medium">{items.map((item) => item.name).join(", ")}</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt className="text-slate-600">Effective access ended</dt>
        <dd data-testid="receipt-effective-access">
          {lostAccess.length === 0 ? (
            <span className="italic text-slate-500">none held</span>
          ) : (
            <span className="font-medium">{lostAccess.map((item) => `${item.kind ?? ""} ${item.name}`.trim()).join(", ")}</span>
          )}
        </dd>
        <dt className="text-slate-600">Sessions ended</dt>
        <dd data-testid="receipt-sessions" className="font-medium">
          {countSessions(receipt.sessionsEnded).replace("open ", "")}
        </dd>
        <dt className="text-slate-600">Applications</dt>
        <dd data-testid="receipt-applications">
          <ReceiptApplications applications={receipt.applications} />
        </dd>
        <dt className="text-slate-600">Application accounts</dt>
        <dd data-testid="receipt-accounts">
          <ReceiptAccounts accounts={receipt.accounts} />
        </dd>
        <dt className="text-slate-600">Time to zero access</dt>
        <dd data-testid="receipt-zero-access" className="font-medium">
          {receipt.timeToZeroAccessMs !== null ? (
            formatMilliseconds(receipt.timeToZeroAccessMs)
          ) : receipt.applicationLogoutsFailed > 0 ? (
            <span className="font-normal text-rose-800">
              not confirmed: {receipt.applicationLogoutsFailed} application logout(s) could not be delivered (their tokens were revoked)
            </span>
          ) : receipt.accountsFailed > 0 ? (
            <span className="font-normal text-rose-800">not reached: {receipt.accountsFailed} application account(s) could not be closed</span>
          ) : receipt.zeroAccessMs !== null && receipt.applicationLogoutsPending + receipt.accountsPending > 0 ? (
            <span role="status" className="font-normal text-slate-600">
              Tenure&rsquo;s sessions ended in {formatMilliseconds(receipt.zeroAccessMs)}; waiting for{" "}
              {[
                receipt.applicationLogoutsPending > 0 ? `${receipt.applicationLogoutsPending} application logout(s) to be confirmed` : null,
                receipt.accountsPending > 0 ? `${receipt.accountsPending} application account(s) to be closed` : null,
              ]
                .filter(Boolean)
                .join(" and ")}
              …
            </span>
          ) : verificationGaveUp ? (
            <span className="font-normal text-slate-600">not verified yet (the background check will complete it; reload later)</span>
          ) : (
            <span role="status" className="font-normal text-slate-600">
              being verified…
            </span>
          )}
        </dd>
      </dl>
    </section>
  );
}
