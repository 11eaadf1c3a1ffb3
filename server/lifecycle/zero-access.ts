import type { TDatabase } from "@/server/db/client";
import { checkSession } from "@/server/auth/sessions";

/** Inline proof is bounded; larger bulk actions are proven by the member__revoke_sessions job. */
export const INLINE_PROOF_SESSION_LIMIT = 200;
/** Sessions checked at once: each check is one query on the shared pool. */
const SESSION_CHECKS_AT_ONCE = 20;

/** A receipt to prove: the sessions its action ended, and when that action's commit returned (epoch ms). */
export type TReceiptProof = { receiptId: bigint; sessionIds: string[]; committedAtMs: number };

/**
 * Proves receipts: runs the very check every request runs (checkSession) on
 * each session the action ended, checks each member's effective access
 * (inherited included) is empty, and records when all were confirmed
 * unusable, measured from the moment the action's commit returned. A receipt
 * with a session still live or access still held is left untouched. A fixed
 * number of statements whatever the number of receipts (a bulk disable of
 * 10,000 members proves them in two), plus one check per ended session.
 * Returns the receipts proven.
 */
export async function proveZeroAccessOf(db: TDatabase, proofs: TReceiptProof[]): Promise<bigint[]> {
  if (proofs.length === 0) return [];
  const sessions = proofs.flatMap((proof) => proof.sessionIds.map((sessionId) => ({ receiptId: proof.receiptId, sessionId })));
  const live = new Set<bigint>();
  for (let start = 0; start < sessions.length; start += SESSION_CHECKS_AT_ONCE) {
    const chunk = sessions.slice(start, start + SESSION_CHECKS_AT_ONCE);
    const checks = await Promise.all(chunk.map((session) => checkSession(db, session.sessionId)));
    checks.forEach((check, index) => (check.live ? live.add(chunk[index]!.receiptId) : undefined));
  }
  const candidates = proofs.filter((proof) => !live.has(proof.receiptId));
  if (candidates.length === 0) return [];
  // Inherited access counts too: nothing may remain in the member's effective access (what can() reads).
  const holding = await db.$queryRaw<{ id: bigint }[]>`
    SELECT r.id FROM lifecycle_receipts r
    WHERE r.id = ANY(${candidates.map((proof) => proof.receiptId)}::bigint[])
      AND EXISTS (SELECT 1 FROM member_access ma WHERE ma.user_id = r.user_id)`;
  const held = new Set(holding.map((row) => row.id));
  const proven = candidates.filter((proof) => !held.has(proof.receiptId));
  if (proven.length === 0) return [];
  const confirmedAt = new Date();
  const nowMs = performance.timeOrigin + performance.now();
  const elapsedMs = proven.map((proof) => Math.round(Math.max(0, nowMs - proof.committedAtMs) * 1000) / 1000);
  const updated = await db.$queryRaw<{ id: bigint }[]>`
    UPDATE lifecycle_receipts r SET zero_access_at = ${confirmedAt}, zero_access_ms = t.elapsed_ms
    FROM unnest(${proven.map((proof) => proof.receiptId)}::bigint[], ${elapsedMs}::float8[]) AS t(id, elapsed_ms)
    WHERE r.id = t.id AND r.zero_access_at IS NULL
    RETURNING r.id`;
  return updated.map((row) => row.id);
}

/** Proves receipts the action could not prove itself (bulk, or a crash right after commit): from committed_at. */
export async function proveOpenReceipts(db: TDatabase, receiptIds: bigint[]): Promise<number> {
  if (receiptIds.length === 0) return 0;
  const receipts = await db.$queryRaw<{ id: bigint; committed_at: Date; session_ids: string[] }[]>`
    SELECT r.id, r.committed_at,
           coalesce((SELECT array_agg(s.id::text) FROM sessions s WHERE s.user_id = r.user_id AND s.created_at <= r.committed_at), '{}'::text[]) AS session_ids
    FROM lifecycle_receipts r
    WHERE r.id = ANY(${receiptIds}::bigint[]) AND r.zero_access_at IS NULL`;
  const proven = await proveZeroAccessOf(
    db,
    receipts.map((receipt) => ({ receiptId: receipt.id, sessionIds: receipt.session_ids, committedAtMs: receipt.committed_at.getTime() })),
  );
  return proven.length;
}
