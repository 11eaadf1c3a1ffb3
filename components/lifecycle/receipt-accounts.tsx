import { DateTime } from "@/components/date-time";
import type { TReceiptAccount } from "@/server/provisioning/receipt-accounts";

/** One provisioned account as the receipt reads it: closed and when, or what is keeping it open. */
function AccountLine({ account }: { account: TReceiptAccount }) {
  const peer = account.error ? ` (${account.error})` : "";
  switch (account.status) {
    case "deactivated":
    case "deleted":
      return (
        <span>
          {account.status} <DateTime value={account.closedAt!} />
        </span>
      );
    case "failed":
      return <span className="font-medium text-rose-800">not closed: failed{peer}; retry it from the application&rsquo;s provisioning page</span>;
    case "paused":
      return <span className="font-medium text-rose-800">not closed: provisioning to this application is switched off</span>;
    default:
      return <span className="text-amber-800">closing pending{account.error ? `, retrying${peer}` : ""}</span>;
  }
}

/** The accounts Tenure provisioned in the member's applications (SCIM), and how each was closed. */
export function ReceiptAccounts({ accounts }: { accounts: TReceiptAccount[] }) {
  if (accounts.length === 0) return <span className="italic text-slate-500">none provisioned</span>;
  return (
    <ul className="space-y-0.5">
      {accounts.map((account) => (
        <li key={account.applicationId} data-testid="receipt-account">
          <span className="font-medium">{account.applicationName}</span>: <AccountLine account={account} />
        </li>
      ))}
    </ul>
  );
}
