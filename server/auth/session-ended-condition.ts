import { Prisma } from "@/server/db/generated/client";
import { DEFAULT_SECURITY_POLICY } from "@/server/auth/security-policy-schemas";

/** The SQL for "session s (policy p joined) has ended by time", as sessionEndReason says it. */
export function endedCondition(now: Date) {
  const { idleTimeoutMinutes, absoluteLifetimeHours } = DEFAULT_SECURITY_POLICY;
  return Prisma.sql`(
    s.expires_at <= ${now}
    OR s.created_at + make_interval(hours => coalesce(p.absolute_lifetime_hours, ${absoluteLifetimeHours}::int)) <= ${now}
    OR s.last_seen_at + make_interval(mins => coalesce(p.idle_timeout_minutes, ${idleTimeoutMinutes}::int)) <= ${now})`;
}

/** "Member u has a session open at `now`": not revoked, not ended by time under its tenant's policy. */
export function hasOpenSession(now: Date) {
  return Prisma.sql`EXISTS (
    SELECT 1 FROM sessions s LEFT JOIN tenant_security_policies p ON p.tenant_id = s.tenant_id
    WHERE s.user_id = u.id AND s.revoked_at IS NULL AND NOT ${endedCondition(now)})`;
}

/**
 * Until when session `alias` was open (its "online time"): until revoked,
 * else until its last request when it went idle or expired, else `now`.
 * `ended` is whether it ended by time (endedCondition); the sweep passes true.
 */
export function closedAt(alias: Prisma.Sql, now: Date, ended: Prisma.Sql = Prisma.sql`true`) {
  return Prisma.sql`CASE
    WHEN ${alias}.revoked_at IS NOT NULL THEN greatest(${alias}.created_at, least(${alias}.revoked_at, ${alias}.expires_at, ${now}))
    WHEN ${ended} THEN greatest(${alias}.created_at, least(${alias}.last_seen_at, ${alias}.expires_at, ${now}))
    ELSE ${now}::timestamptz END`;
}
