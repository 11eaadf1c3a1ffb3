import { Prisma } from "@/server/db/generated/client";
import type { TDatabase } from "@/server/db/client";
import { DEFAULT_SECURITY_POLICY } from "@/server/auth/security-policy-schemas";

const BATCH_SIZE = 5_000;

/**
 * Deletes sessions that can never be used again: past their absolute expiry
 * (or their tenant's lifetime as it is now) or idle for longer than their
 * tenant's idle timeout, and marks members offline whose last session ended
 * that way. Revoked sessions stay until they expire, so "signed out by an
 * admin" remains visible for their lifetime. Works in batches so a million
 * stale rows never hold one long lock.
 */
export async function deleteExpiredSessions(db: TDatabase, now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM sessions WHERE id IN (
        SELECT s.id FROM sessions s
        LEFT JOIN tenant_security_policies p ON p.tenant_id = s.tenant_id
        WHERE ${endedCondition(now)}
        LIMIT ${BATCH_SIZE}
        FOR UPDATE OF s SKIP LOCKED
      )`;
    total += deleted;
    if (deleted < BATCH_SIZE) break;
  }
  await markOffline(db, now);
  return total;
}

/** The SQL for "session s (policy p joined) has ended by time", as sessionEndReason says it. */
export function endedCondition(now: Date) {
  const { idleTimeoutMinutes, absoluteLifetimeHours } = DEFAULT_SECURITY_POLICY;
  return Prisma.sql`(
    s.expires_at <= ${now}
    OR s.created_at + make_interval(hours => coalesce(p.absolute_lifetime_hours, ${absoluteLifetimeHours}::int)) <= ${now}
    OR s.last_seen_at + make_interval(mins => coalesce(p.idle_timeout_minutes, ${idleTimeoutMinutes}::int)) <= ${now})`;
}

/** Members shown online whose sessions all ended (expired, idle or revoked) go offline. */
async function markOffline(db: TDatabase, now: Date): Promise<void> {
  await db.$executeRaw`
    UPDATE users u SET online = false, offline_at = ${now}
    WHERE u.online AND NOT EXISTS (
      SELECT 1 FROM sessions s
      LEFT JOIN tenant_security_policies p ON p.tenant_id = s.tenant_id
      WHERE s.user_id = u.id AND s.revoked_at IS NULL AND NOT ${endedCondition(now)})`;
}
