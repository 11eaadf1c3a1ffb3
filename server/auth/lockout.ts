import { Prisma } from "@/server/db/generated/client";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import type { TSecurityPolicy } from "@/server/auth/security-policy-schemas";
import { accountKeyCondition, type TAccountKey } from "@/server/auth/login-attempts";

// Sign-in throttling after repeated failures (tenant policy: N failures within
// a window pause sign-in for a duration that grows on each repeat within a
// day), and NIST SP 800-63B-4's hard cap: never more than 100 consecutive
// failures, however slowly they come. The throttle lives in the login history
// only: it never locks the member through the lifecycle nor ends their
// sessions (that would hand anyone who knows a login a way to lock its owner
// out). Failures are counted in two buckets per account (OWASP's "device
// cookies", Entra's smart lockout): attempts carrying a valid device cookie of
// the member (familiar) and all others (unfamiliar), so strangers exhausting
// theirs never block the member's own device. An unknown login gets exactly
// the same treatment, so an anonymous caller cannot tell the two apart.

export const MAX_CONSECUTIVE_FAILURES = 100;
/** A reserved check ('pending') a crashed process left behind stops counting after this. */
export const PENDING_LIFETIME_MS = 30 * 1000;
const MINUTE_MS = 60 * 1000;
const REPEAT_MEMORY_MS = 24 * 60 * MINUTE_MS;

/** One throttle bucket: an account (or unknown login), familiar or unfamiliar attempts. */
export type TThrottleBucket = { key: TAccountKey; familiar: boolean };

/** The first throttle lasts the base duration; each further one within a day multiplies it, up to the cap. */
export function lockoutDuration(policy: Pick<TSecurityPolicy, "lockoutDurationMinutes" | "lockoutGrowthFactor" | "lockoutMaxDurationMinutes">, previousLockouts: number): number {
  const minutes = policy.lockoutDurationMinutes * policy.lockoutGrowthFactor ** Math.min(previousLockouts, 20);
  return Math.min(minutes, policy.lockoutMaxDurationMinutes) * MINUTE_MS;
}

/** How far back a throttle that may still be running can have started. */
export const lockoutLookback = (policy: Pick<TSecurityPolicy, "lockoutMaxDurationMinutes">, now: Date) =>
  new Date(now.getTime() - Math.max(REPEAT_MEMORY_MS, policy.lockoutMaxDurationMinutes * MINUTE_MS));

/**
 * The rows of one bucket that still count: within the lookback and after the
 * last time an admin cleared the member's throttle (a 'cleared' row).
 */
export function bucketCondition(bucket: TThrottleBucket, since: Date): Prisma.Sql {
  const key = accountKeyCondition(bucket.key);
  return Prisma.sql`${key} AND familiar = ${bucket.familiar} AND created_at > greatest(${since}::timestamptz, (
    SELECT max(created_at) FROM login_attempts WHERE ${key} AND result = 'cleared' AND created_at > ${since}::timestamptz))`;
}

/** Until when this bucket is throttled by failed sign-ins, or null. */
export async function activeLockoutUntil(
  db: TDatabaseOrTransaction,
  bucket: TThrottleBucket,
  policy: Pick<TSecurityPolicy, "lockoutMaxDurationMinutes">,
  now: Date,
): Promise<Date | null> {
  const [row] = await db.$queryRaw<{ until: Date | null }[]>`
    SELECT max(lockout_until) AS until FROM login_attempts
    WHERE ${bucketCondition(bucket, lockoutLookback(policy, now))} AND lockout_until > ${now}`;
  return row?.until ?? null;
}

export type TFailureCounts = { window_failures: number; pending: number; recent_lockouts: number; lockout_until: Date | null; consecutive: number };

/**
 * What the gate decides on: failures in the policy's window since the last
 * throttle started (those before were paid for by it), checks in flight,
 * throttles within a day (for the growth), a running throttle, and the
 * consecutive failures since the last success or clear (the NIST cap).
 * `excludeId` leaves out the caller's own reservation.
 */
export async function countFailures(
  tx: TDatabaseOrTransaction,
  bucket: TThrottleBucket,
  policy: TSecurityPolicy,
  now: Date,
  excludeId: bigint | null = null,
): Promise<TFailureCounts> {
  const [row] = await tx.$queryRaw<TFailureCountsRow[]>(failureCountsSql(bucket, policy, now, excludeId));
  return failureCountsFromRow(row!);
}

export type TFailureCountsRow = { window_failures: bigint; pending: bigint; recent_lockouts: bigint; lockout_until: Date | null; consecutive: bigint };

export function failureCountsFromRow(row: TFailureCountsRow): TFailureCounts {
  return {
    window_failures: Number(row.window_failures),
    pending: Number(row.pending),
    recent_lockouts: Number(row.recent_lockouts),
    lockout_until: row.lockout_until,
    consecutive: Number(row.consecutive),
  };
}

/** countFailures' statement; `extraColumns` (", <expr> AS name", …) lets the gate read its rate limits in the same round trip. */
export function failureCountsSql(
  bucket: TThrottleBucket,
  policy: TSecurityPolicy,
  now: Date,
  excludeId: bigint | null,
  extraColumns: Prisma.Sql = Prisma.empty,
): Prisma.Sql {
  const key = accountKeyCondition(bucket.key);
  const windowStart = new Date(now.getTime() - policy.lockoutWindowMinutes * MINUTE_MS);
  const dayAgo = new Date(now.getTime() - REPEAT_MEMORY_MS);
  const pendingSince = new Date(now.getTime() - PENDING_LIFETIME_MS);
  const exclude = excludeId ?? BigInt(-1);
  // The last success or clear is found newest-first (one index step for a member who signs in normally).
  return Prisma.sql`
    WITH recent AS (
      SELECT result, lockout_until, created_at FROM login_attempts
      WHERE ${bucketCondition(bucket, lockoutLookback(policy, now))} AND id <> ${exclude}
    ), last_lockout AS (
      SELECT max(created_at) AS started FROM recent WHERE lockout_until IS NOT NULL
    ), last_reset AS (
      SELECT coalesce((
        SELECT created_at FROM login_attempts WHERE ${key} AND result IN ('success', 'cleared')
          AND (familiar = ${bucket.familiar} OR result = 'cleared') ORDER BY created_at DESC LIMIT 1
      ), '-infinity'::timestamptz) AS at
    )
    SELECT
      (SELECT count(*) FROM recent, last_lockout
        WHERE result = 'failure' AND created_at > ${windowStart} AND (started IS NULL OR created_at > started)) AS window_failures,
      (SELECT count(*) FROM recent WHERE result = 'pending' AND created_at > ${pendingSince}) AS pending,
      (SELECT count(*) FROM recent WHERE lockout_until IS NOT NULL AND created_at > ${dayAgo}) AS recent_lockouts,
      (SELECT max(lockout_until) FROM recent WHERE lockout_until > ${now}) AS lockout_until,
      (SELECT count(*) FROM (
        SELECT 1 FROM login_attempts, last_reset
        WHERE ${key} AND familiar = ${bucket.familiar} AND result = 'failure' AND created_at > last_reset.at AND id <> ${exclude}
        ORDER BY created_at DESC LIMIT ${MAX_CONSECUTIVE_FAILURES}) AS consecutive_rows) AS consecutive${extraColumns}`;
}

/** Whether one more failure on top of these counts starts a throttle. */
export function reachesThreshold(counts: TFailureCounts, policy: Pick<TSecurityPolicy, "lockoutThreshold">, extra: number): boolean {
  return counts.window_failures + extra >= policy.lockoutThreshold || counts.consecutive + extra >= MAX_CONSECUTIVE_FAILURES;
}
