import type { TDatabase } from "@/server/db/client";
import { markIdleMembersOffline } from "@/server/auth/member-presence";
import { Prisma } from "@/server/db/generated/client";
import { closedAt, endedCondition } from "@/server/auth/session-ended-condition";

export { endedCondition } from "@/server/auth/session-ended-condition";

const BATCH_SIZE = 5_000;
/** The status overview shows online time over the last 7 days: spans are kept a day longer. */
const SPAN_RETENTION_MS = 8 * 24 * 60 * 60 * 1000;

/**
 * Deletes sessions that can never be used again: past their absolute expiry
 * (or their tenant's lifetime as it is now) or idle for longer than their
 * tenant's idle timeout, and marks members offline whose last session ended
 * that way. Revoked sessions stay until they expire, so "signed out by an
 * admin" remains visible for their lifetime. Each deleted session's open time
 * moves to session_spans in the same statement (the status overview's online
 * duration), and spans older than 8 days go. Works in batches so a million
 * stale rows never hold one long lock.
 */
export async function deleteExpiredSessions(db: TDatabase, now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      WITH gone AS (
        DELETE FROM sessions WHERE id IN (
          SELECT s.id FROM sessions s
          LEFT JOIN tenant_security_policies p ON p.tenant_id = s.tenant_id
          WHERE ${endedCondition(now)}
          LIMIT ${BATCH_SIZE}
          FOR UPDATE OF s SKIP LOCKED
        )
        RETURNING tenant_id, user_id, created_at, revoked_at, last_seen_at, expires_at
      )
      INSERT INTO session_spans (tenant_id, user_id, started_at, ended_at)
      SELECT tenant_id, user_id, created_at, ${closedAt(Prisma.sql`gone`, now)} FROM gone`;
    total += deleted;
    if (deleted < BATCH_SIZE) break;
  }
  await db.$executeRaw`DELETE FROM session_spans WHERE ended_at < ${new Date(now.getTime() - SPAN_RETENTION_MS)}`;
  await markIdleMembersOffline(db, now);
  return total;
}
