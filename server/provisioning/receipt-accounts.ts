import type { TDatabaseOrTransaction } from "@/server/db/client";

// The lifecycle receipt of the action that ended a member's access records
// when each application account was closed, so "time to zero access" covers
// the accounts Tenure provisioned, not only Tenure's own sessions and grants.

export const CLOSING_ACTIONS = ["disable", "resign", "archive", "delete"];
/** The states those actions leave a member in: no access, so no open application account. */
export const CLOSED_STATES = ["disabled", "resigned", "archived", "deleted"];

/**
 * One application account as the receipt reads it: closed (deactivated or
 * deleted, and when), still being closed (pending, with the peer's last error
 * while retried), given up on (failed, a dead letter: the peer's error), or
 * left open because provisioning of that application is switched off (paused).
 */
export type TReceiptAccount = {
  applicationId: string;
  applicationName: string;
  status: "deactivated" | "deleted" | "pending" | "failed" | "paused";
  closedAt: Date | null;
  error: string | null;
};

export type TReceiptAccounts = {
  accounts: TReceiptAccount[];
  /** Accounts not closed yet: pending are still being retried; failed and paused need an admin. */
  pending: number;
  failed: number;
  /** When the last account was confirmed closed by its application (null when none was). */
  lastClosedAt: Date | null;
};

const NONE: TReceiptAccounts = { accounts: [], pending: 0, failed: 0, lastClosedAt: null };

type TReceiptRef = { id: bigint; userId: bigint; action: string };

/**
 * The application accounts of these receipts (one member's) in two queries:
 * the closed ones recorded beside each receipt, and, for the newest receipt
 * when it ended access and the member is still without access (enable and
 * restore write no receipt), the accounts still open. Older receipts show
 * only what they closed: an account left open then was closed later or
 * handed back.
 */
export async function receiptAccounts(db: TDatabaseOrTransaction, receipts: TReceiptRef[]): Promise<(receiptId: bigint) => TReceiptAccounts> {
  if (receipts.length === 0) return () => NONE;
  const receiptIds = receipts.map((receipt) => receipt.id);
  const closed = await db.$queryRaw<{ receipt_id: bigint; application_id: bigint; name: string; outcome: "deactivated" | "deleted"; closed_at: Date }[]>`
    SELECT a.receipt_id, a.application_id, app.name, a.outcome, a.closed_at
    FROM lifecycle_receipt_accounts a JOIN applications app ON app.id = a.application_id
    WHERE a.receipt_id = ANY(${receiptIds}::bigint[]) ORDER BY a.receipt_id, app.name, a.application_id`;
  const byReceipt = new Map<bigint, TReceiptAccounts>();
  const entryOf = (receiptId: bigint) => {
    let entry = byReceipt.get(receiptId);
    if (!entry) byReceipt.set(receiptId, (entry = { accounts: [], pending: 0, failed: 0, lastClosedAt: null }));
    return entry;
  };
  for (const row of closed) {
    const entry = entryOf(row.receipt_id);
    entry.accounts.push({ applicationId: row.application_id.toString(), applicationName: row.name, status: row.outcome, closedAt: row.closed_at, error: null });
    if (!entry.lastClosedAt || row.closed_at > entry.lastClosedAt) entry.lastClosedAt = row.closed_at;
  }

  const newest = receipts.reduce((latest, receipt) => (receipt.id > latest.id ? receipt : latest));
  if (CLOSING_ACTIONS.includes(newest.action)) {
    for (const row of await openAccounts(db, newest)) {
      const entry = entryOf(newest.id);
      const status = !row.enabled ? "paused" : row.dead_letter_error !== null || row.status === "failed" ? "failed" : "pending";
      entry.accounts.push({ applicationId: row.application_id.toString(), applicationName: row.name, status, closedAt: null, error: row.dead_letter_error ?? row.last_error });
      if (status === "pending") entry.pending += 1;
      else entry.failed += 1;
    }
  }
  return (receiptId) => byReceipt.get(receiptId) ?? NONE;
}

/** The member's accounts that exist at a peer and are not closed yet (nor recorded as closed on this receipt). */
function openAccounts(db: TDatabaseOrTransaction, receipt: TReceiptRef) {
  return db.$queryRaw<{ application_id: bigint; name: string; status: string; last_error: string | null; dead_letter_error: string | null; enabled: boolean }[]>`
    SELECT p.application_id, app.name, p.status, p.last_error, d.error AS dead_letter_error, coalesce(s.enabled, false) AS enabled
    FROM member_provisioning p
    JOIN applications app ON app.id = p.application_id
    LEFT JOIN application_scim_settings s ON s.application_id = p.application_id
    LEFT JOIN provisioning_dead_letters d ON d.application_id = p.application_id AND d.user_id = p.user_id
    WHERE p.user_id = ${receipt.userId} AND p.remote_id IS NOT NULL AND p.status IN ('pending', 'provisioned', 'failed')
      AND EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id AND u.state = ANY(${CLOSED_STATES}::text[]))
      AND NOT EXISTS (SELECT 1 FROM lifecycle_receipt_accounts a WHERE a.receipt_id = ${receipt.id} AND a.application_id = p.application_id)
    ORDER BY app.name, p.application_id`;
}
