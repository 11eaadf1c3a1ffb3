import type { TDatabase } from "@/server/db/client";
import { SESSION_IDLE_TIMEOUT_MS } from "@/server/auth/session-policy";

const BATCH_SIZE = 5_000;

/**
 * Deletes sessions that can never be used again: past their absolute expiry
 * or idle for longer than the idle timeout, and marks members offline whose
 * last session ended that way. Revoked sessions stay until they
 * expire, so "signed out by an admin" remains visible for their lifetime.
 * Works in batches so a million stale rows never hold one long lock.
 */
export async function deleteExpiredSessions(db: TDatabase, now = new Date()): Promise<number> {
  const idleBefore = new Date(now.getTime() - SESSION_IDLE_TIMEOUT_MS);
  let total = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM sessions WHERE id IN (
        SELECT id FROM sessions
        WHERE expires_at <= ${now} OR last_seen_at <= ${idleBefore}
        LIMIT ${BATCH_SIZE}
        FOR UPDATE SKIP LOCKED
      )`;
    total += deleted;
    if (deleted < BATCH_SIZE) break;
  }
  await markOffline(db, now, idleBefore);
  return total;
}

/** Members shown online whose sessions all ended (expired, idle or revoked) go offline. */
async function markOffline(db: TDatabase, now: Date, idleBefore: Date): Promise<void> {
  await db.$executeRaw`
    UPDATE users u SET online = false, offline_at = ${now}
    WHERE u.online AND NOT EXISTS (
      SELECT 1 FROM sessions s
      WHERE s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > ${now} AND s.last_seen_at > ${idleBefore})`;
}
