import type { TDatabaseOrTransaction } from "@/server/db/client";

// What an access receipt says about the applications: per application, the
// tokens revoked and how its back-channel logouts went; and the time to zero
// access, which lasts until the last application confirmed its logout.

export type TLogoutStatus = "pending" | "delivered" | "failed" | "not_required";

export type TReceiptApplication = {
  applicationId: string;
  name: string;
  tokensRevoked: number;
  /** One per session the application had; empty when there was nothing to send. */
  logouts: { status: TLogoutStatus; attempts: number; httpStatus: number | null; error: string | null; deliveredAt: Date | null }[];
};

export type TReceiptApplications = {
  applications: TReceiptApplication[];
  /** Logouts still being retried, and those given up on. */
  pending: number;
  failed: number;
  /** When the last application confirmed (null when none had anything to confirm). */
  lastConfirmedAt: Date | null;
};

const NONE: TReceiptApplications = { applications: [], pending: 0, failed: 0, lastConfirmedAt: null };

type TRow = {
  receipt_id: bigint;
  application_id: bigint;
  name: string;
  tokens_revoked: number;
  status: TLogoutStatus;
  attempts: number;
  last_http_status: number | null;
  last_error: string | null;
  delivered_at: Date | null;
};

/** The application lines of these receipts, in one query. */
export async function receiptApplications(db: TDatabaseOrTransaction, receiptIds: bigint[]): Promise<(receiptId: bigint) => TReceiptApplications> {
  const rows =
    receiptIds.length === 0
      ? []
      : await db.$queryRaw<TRow[]>`
          SELECT d.receipt_id, d.application_id, a.name, d.tokens_revoked, d.status, d.attempts, d.last_http_status, d.last_error, d.delivered_at
          FROM application_logout_deliveries d JOIN applications a ON a.id = d.application_id
          WHERE d.receipt_id = ANY(${receiptIds}::bigint[])
          ORDER BY d.receipt_id, a.name, d.application_id, d.id`;
  const byReceipt = new Map<bigint, TReceiptApplications>();
  for (const row of rows) {
    let receipt = byReceipt.get(row.receipt_id);
    if (!receipt) byReceipt.set(row.receipt_id, (receipt = { applications: [], pending: 0, failed: 0, lastConfirmedAt: null }));
    let application = receipt.applications.at(-1);
    if (application?.applicationId !== row.application_id.toString()) {
      receipt.applications.push((application = { applicationId: row.application_id.toString(), name: row.name, tokensRevoked: 0, logouts: [] }));
    }
    application.tokensRevoked += row.tokens_revoked;
    if (row.status !== "not_required") {
      application.logouts.push({ status: row.status, attempts: row.attempts, httpStatus: row.last_http_status, error: row.last_error, deliveredAt: row.delivered_at });
    }
    if (row.status === "pending") receipt.pending += 1;
    if (row.status === "failed") receipt.failed += 1;
    if (row.delivered_at && (!receipt.lastConfirmedAt || row.delivered_at > receipt.lastConfirmedAt)) receipt.lastConfirmedAt = row.delivered_at;
  }
  return (receiptId) => byReceipt.get(receiptId) ?? NONE;
}

/**
 * Time to zero access with the applications: Tenure's own proof (sessions
 * unusable, measured from the commit) extended to the last application's
 * confirmed logout, measured from the same moment. Null while Tenure's proof
 * or any application's logout is outstanding (or was given up on).
 */
export function timeToZeroAccessMs(receipt: { committedAt: Date; zeroAccessAt: Date | null; zeroAccessMs: number | null }, applications: TReceiptApplications): number | null {
  if (receipt.zeroAccessMs === null || applications.pending > 0 || applications.failed > 0) return null;
  if (!applications.lastConfirmedAt) return receipt.zeroAccessMs;
  // The commit returned zeroAccessMs before zeroAccessAt (zero-access.ts measures from there).
  const committedAtMs = receipt.zeroAccessAt ? receipt.zeroAccessAt.getTime() - receipt.zeroAccessMs : receipt.committedAt.getTime();
  return Math.max(receipt.zeroAccessMs, applications.lastConfirmedAt.getTime() - committedAtMs);
}
