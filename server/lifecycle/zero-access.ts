import type { TDatabase } from "@/server/db/client";
import { checkSession } from "@/server/auth/sessions";

/** Inline proof is bounded; larger bulk actions are proven by the member__revoke_sessions job. */
export const INLINE_PROOF_SESSION_LIMIT = 200;

/**
 * Proves a receipt: runs the very check every request runs (checkSession) on
 * each session the action ended, checks the member's effective access
 * (inherited included) is empty, and records when all were confirmed
 * unusable, measured from the moment the action's commit returned.
 * Returns false (receipt untouched) if any session is still live.
 */
export async function proveZeroAccess(db: TDatabase, receiptId: bigint, sessionIds: string[], committedAtMs: number): Promise<boolean> {
  const checks = await Promise.all(sessionIds.map((sessionId) => checkSession(db, sessionId)));
  if (checks.some((check) => check.live)) return false;
  // Inherited access counts too: nothing may remain in the member's effective access (what can() reads).
  const [held] = await db.$queryRaw<{ items: number }[]>`
    SELECT count(ma.*)::int AS items FROM lifecycle_receipts r JOIN member_access ma ON ma.user_id = r.user_id WHERE r.id = ${receiptId}`;
  if ((held?.items ?? 0) > 0) return false;
  const elapsedMs = Math.max(0, performance.timeOrigin + performance.now() - committedAtMs);
  await db.lifecycleReceipt.updateMany({
    where: { id: receiptId, zeroAccessAt: null },
    data: { zeroAccessAt: new Date(), zeroAccessMs: Math.round(elapsedMs * 1000) / 1000 },
  });
  return true;
}

/** Proves receipts the action could not prove itself (bulk, or a crash right after commit): from committed_at. */
export async function proveOpenReceipts(db: TDatabase, receiptIds: bigint[]): Promise<number> {
  if (receiptIds.length === 0) return 0;
  const receipts = await db.lifecycleReceipt.findMany({
    where: { id: { in: receiptIds }, zeroAccessAt: null },
    select: { id: true, userId: true, committedAt: true },
  });
  let proven = 0;
  for (const receipt of receipts) {
    const sessions = await db.session.findMany({ where: { userId: receipt.userId, createdAt: { lte: receipt.committedAt } }, select: { id: true } });
    if (await proveZeroAccess(db, receipt.id, sessions.map((session) => session.id), receipt.committedAt.getTime())) proven += 1;
  }
  return proven;
}
