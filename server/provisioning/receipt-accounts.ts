import type { TDatabaseOrTransaction, TTransaction } from "@/server/db/client";

// The lifecycle receipt of the action that ended a member's access records
// when each application account was closed, so "time to zero access" covers
// the accounts Tenure provisioned, not only Tenure's own sessions and grants.

const CLOSING_ACTIONS = ["disable", "resign", "archive", "delete"];

export async function recordClosedAccount(tx: TTransaction, memberId: bigint, applicationId: bigint, outcome: "deactivated" | "deleted", closedAt: Date): Promise<void> {
  const receipt = await tx.lifecycleReceipt.findFirst({
    where: { userId: memberId, action: { in: CLOSING_ACTIONS }, committedAt: { lte: closedAt } },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  if (!receipt) return;
  await tx.lifecycleReceiptAccount.upsert({
    where: { receiptId_applicationId: { receiptId: receipt.id, applicationId } },
    create: { receiptId: receipt.id, applicationId, outcome, closedAt },
    update: {},
  });
}

export type TReceiptAccount = { applicationId: string; applicationName: string; outcome: string; closedAt: Date; afterCommitMs: number };

/** Each receipt's closed accounts, with how long after the action's commit each closed. */
export async function listReceiptAccounts(tx: TDatabaseOrTransaction, receiptIds: bigint[]): Promise<Map<string, TReceiptAccount[]>> {
  const rows = await tx.$queryRaw<{ receipt_id: bigint; application_id: bigint; name: string; outcome: string; closed_at: Date; after_ms: number }[]>`
    SELECT a.receipt_id, a.application_id, app.name, a.outcome, a.closed_at,
           (EXTRACT(EPOCH FROM (a.closed_at - r.committed_at)) * 1000)::float8 AS after_ms
    FROM lifecycle_receipt_accounts a JOIN lifecycle_receipts r ON r.id = a.receipt_id JOIN applications app ON app.id = a.application_id
    WHERE a.receipt_id = ANY(${receiptIds}::bigint[]) ORDER BY a.receipt_id, app.name`;
  const byReceipt = new Map<string, TReceiptAccount[]>();
  for (const row of rows) {
    const list = byReceipt.get(row.receipt_id.toString()) ?? [];
    list.push({ applicationId: row.application_id.toString(), applicationName: row.name, outcome: row.outcome, closedAt: row.closed_at, afterCommitMs: Math.max(0, row.after_ms) });
    byReceipt.set(row.receipt_id.toString(), list);
  }
  return byReceipt;
}
