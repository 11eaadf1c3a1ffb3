"use client";

import { useQuery } from "@tanstack/react-query";
import { QueryStatus } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import { DateTime } from "@/components/date-time";
import { provisioningStatusLabel } from "@/components/provisioning/provisioning-labels";

/** The member page's "Application accounts": each SCIM application's account of this member, and when it was closed. */
export function MemberApplicationAccounts({ memberId }: { memberId: string }) {
  const trpc = useTRPC();
  const accounts = useQuery(trpc.provisioning.memberAccounts.queryOptions({ memberId }));
  return (
    <section aria-labelledby="member-app-accounts-heading" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="member-app-accounts-heading" className="text-sm font-semibold text-slate-900">
        Application accounts (SCIM)
      </h2>
      {accounts.isPending || accounts.isError ? (
        <QueryStatus query={accounts} loading="Loading…" failure="Application accounts could not be loaded" />
      ) : accounts.data.length === 0 ? (
        <p className="text-sm text-slate-600">No application provisions an account for this member.</p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="member-app-accounts">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th scope="col" className="py-1 pr-3">Application</th>
              <th scope="col" className="py-1 pr-3">State</th>
              <th scope="col" className="py-1 pr-3">Account id at the application</th>
              <th scope="col" className="py-1">Since</th>
            </tr>
          </thead>
          <tbody>
            {accounts.data.map((account) => (
              <tr key={account.applicationId} className="border-t border-slate-100">
                <td className="py-1 pr-3">{account.applicationName}</td>
                <td className="py-1 pr-3" data-testid={`app-account-state-${account.applicationId}`}>
                  {provisioningStatusLabel(account.status)}
                  {account.lastError ? <span className="block text-xs text-red-700">{account.lastError}</span> : null}
                </td>
                <td className="py-1 pr-3 font-mono text-xs">{account.remoteId ?? "—"}</td>
                <td className="py-1">
                  <DateTime value={account.deactivatedAt ?? account.updatedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
