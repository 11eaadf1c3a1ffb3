import type { TDatabase } from "@/server/db/client";
import { SESSION_IDLE_TIMEOUT_MS } from "@/server/auth/session-policy";

const BATCH_SIZE = 5_000;

/**
 * Deletes sessions that can never be used again: past their absolute expiry
 * or idle for longer than the idle timeout. Revoked sessions stay until they
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
    if (deleted < BATCH_SIZE) return total;
  }
}
