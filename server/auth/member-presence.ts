import type { TDatabase, TDatabaseOrTransaction, TTransaction } from "@/server/db/client";
import { hasOpenSession } from "@/server/auth/session-ended-condition";

// A member is `online` while at least one of their sessions is open. Every
// revocation (sessions.ts: revokeSession, revokeMemberSessions) and the
// per-minute idle sweep (members__mark_offline) take the member's row lock
// FIRST, then look for an open session in a later statement: two sessions of
// one member revoked at once run in turn, and the second sees the first's
// revocation, so the member cannot stay online with no session left. A
// sign-in (record-sign-in.ts) updates the same row, so it waits too and sets
// online = true after; FOR NO KEY UPDATE leaves the new session's foreign-key
// check (KEY SHARE) free.

const BATCH_SIZE = 5_000;

/** Runs `work` in the caller's transaction, or in a new one when given the client. */
export function inTransaction<T>(db: TDatabaseOrTransaction, work: (tx: TTransaction) => Promise<T>): Promise<T> {
  return "$transaction" in db ? db.$transaction(work) : work(db);
}

/** Locks the members' rows in id order (as lifecycle actions do), so concurrent revocations of one member run in turn. */
export async function lockMembersPresence(tx: TTransaction, memberIds: readonly bigint[]): Promise<void> {
  if (memberIds.length === 0) return;
  await tx.$queryRaw`SELECT id FROM users WHERE id = ANY(${memberIds}::bigint[]) ORDER BY id FOR NO KEY UPDATE`;
}

/** Those of the members shown online who have no open session left go offline. Call after lockMembersPresence, in a later statement. */
export async function markOfflineWithoutOpenSession(tx: TTransaction, memberIds: readonly bigint[], now: Date): Promise<number> {
  if (memberIds.length === 0) return 0;
  return tx.$executeRaw`
    UPDATE users u SET online = false, offline_at = ${now}
    WHERE u.id = ANY(${memberIds}::bigint[]) AND u.online AND NOT ${hasOpenSession(now)}`;
}

/**
 * Every member shown online whose sessions all ended (idle past their
 * tenant's timeout, expired, revoked or deleted) goes offline: the
 * members__mark_offline job each minute, and the hourly sweep. Set-based, in
 * batches along the partial index of online members; rows a sign-in holds are
 * skipped (that member is coming online) and looked at again next minute.
 * Idempotent.
 */
export async function markIdleMembersOffline(db: TDatabase, now = new Date()): Promise<number> {
  let total = 0;
  let after = 0n;
  for (;;) {
    const batch = await db.$transaction(async (tx) => {
      const candidates = await tx.$queryRaw<{ id: bigint }[]>`
        SELECT u.id FROM users u
        WHERE u.online AND u.id > ${after} AND NOT ${hasOpenSession(now)}
        ORDER BY u.id LIMIT ${BATCH_SIZE}
        FOR NO KEY UPDATE OF u SKIP LOCKED`;
      const ids = candidates.map((row) => row.id);
      // A later statement: it sees any session opened (and committed) before the lock was taken.
      const marked = await markOfflineWithoutOpenSession(tx, ids, now);
      return { ids, marked };
    });
    total += batch.marked;
    if (batch.ids.length < BATCH_SIZE) break;
    after = batch.ids.at(-1)!;
  }
  return total;
}
