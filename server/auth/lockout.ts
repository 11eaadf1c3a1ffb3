import type { TDatabase, TDatabaseOrTransaction } from "@/server/db/client";
import type { TActor } from "@/server/audit/record-audit-event";
import type { TSecurityPolicy } from "@/server/auth/security-policy-schemas";
import { accountKeyCondition, accountLockKey, recordLoginAttempt, type TAccountKey, type TLoginAttempt } from "@/server/auth/login-attempts";
import { lockMember } from "@/server/lifecycle/lock-member";

// Lockout after repeated failures (tenant policy: N failures within a window
// lock the account for a duration that grows on each repeat within a day), and
// NIST SP 800-63B-4's hard cap: never more than 100 consecutive failures on
// one account, however slowly they come. A real member is locked through the
// lifecycle (lockMember: state, lockEndDate, sessions ended, audit, the unlock
// job); an unknown login gets the same lockout in the login history only, so
// an anonymous caller cannot tell the two apart.

export const LOCKOUT_REASON = "Too many failed sign-in attempts";
export const MAX_CONSECUTIVE_FAILURES = 100;
const MINUTE_MS = 60 * 1000;
const REPEAT_MEMORY_MS = 24 * 60 * MINUTE_MS;

/** The first lockout lasts the base duration; each further one within a day multiplies it, up to the cap. */
export function lockoutDuration(policy: Pick<TSecurityPolicy, "lockoutDurationMinutes" | "lockoutGrowthFactor" | "lockoutMaxDurationMinutes">, previousLockouts: number): number {
  const minutes = policy.lockoutDurationMinutes * policy.lockoutGrowthFactor ** Math.min(previousLockouts, 20);
  return Math.min(minutes, policy.lockoutMaxDurationMinutes) * MINUTE_MS;
}

/** How far back a lockout that may still be running can have started. */
const lockoutLookback = (policy: Pick<TSecurityPolicy, "lockoutMaxDurationMinutes">, now: Date) =>
  new Date(now.getTime() - Math.max(REPEAT_MEMORY_MS, policy.lockoutMaxDurationMinutes * MINUTE_MS));

/** Until when this account (or unknown login) is locked out by failed sign-ins, or null. */
export async function activeLockoutUntil(
  db: TDatabaseOrTransaction,
  key: TAccountKey,
  policy: Pick<TSecurityPolicy, "lockoutMaxDurationMinutes">,
  now: Date,
): Promise<Date | null> {
  const [row] = await db.$queryRaw<{ until: Date | null }[]>`
    SELECT max(lockout_until) AS until FROM login_attempts
    WHERE ${accountKeyCondition(key)} AND created_at > ${lockoutLookback(policy, now)} AND lockout_until > ${now}`;
  return row?.until ?? null;
}

type TFailureCounts = { window_failures: bigint; recent_lockouts: bigint; lockout_until: Date | null; consecutive: bigint };

async function countFailures(tx: TDatabaseOrTransaction, key: TAccountKey, policy: TSecurityPolicy, now: Date): Promise<TFailureCounts> {
  const condition = accountKeyCondition(key);
  const windowStart = new Date(now.getTime() - policy.lockoutWindowMinutes * MINUTE_MS);
  const dayAgo = new Date(now.getTime() - REPEAT_MEMORY_MS);
  // Failures before the last lockout started were paid for by it: they do not count again.
  // The last success is found newest-first (one index step for a member who signs in normally).
  const [row] = await tx.$queryRaw<TFailureCounts[]>`
    WITH recent AS (
      SELECT result, lockout_until, created_at FROM login_attempts
      WHERE ${condition} AND created_at > ${lockoutLookback(policy, now)}
    ), last_lockout AS (
      SELECT max(created_at) AS started FROM recent WHERE lockout_until IS NOT NULL
    ), last_success AS (
      SELECT coalesce((
        SELECT created_at FROM login_attempts WHERE ${condition} AND result = 'success' ORDER BY created_at DESC LIMIT 1
      ), '-infinity'::timestamptz) AS at
    )
    SELECT
      (SELECT count(*) FROM recent, last_lockout
        WHERE result = 'failure' AND created_at > ${windowStart} AND (started IS NULL OR created_at > started)) AS window_failures,
      (SELECT count(*) FROM recent WHERE lockout_until IS NOT NULL AND created_at > ${dayAgo}) AS recent_lockouts,
      (SELECT max(lockout_until) FROM recent WHERE lockout_until > ${now}) AS lockout_until,
      (SELECT count(*) FROM (
        SELECT 1 FROM login_attempts, last_success
        WHERE ${condition} AND result = 'failure' AND created_at > last_success.at
        ORDER BY created_at DESC LIMIT ${MAX_CONSECUTIVE_FAILURES}) AS consecutive_rows) AS consecutive`;
  return row!;
}

/**
 * Records a failed attempt and, when it reaches the policy's threshold (or the
 * 100-consecutive cap), starts a lockout. Attempts on one account are counted
 * one at a time (an advisory lock), so parallel guesses cannot slip past the
 * threshold together. Returns until when the account is now locked out, if it is.
 */
export async function recordFailedAttempt(
  db: TDatabase,
  key: TAccountKey,
  attempt: Omit<TLoginAttempt, "result" | "lockoutUntil">,
  policy: TSecurityPolicy,
  options: { lockMemberToo: boolean },
  now = new Date(),
): Promise<{ lockoutUntil: Date | null }> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${accountLockKey(key)}, 0))`;
    const counts = await countFailures(tx, key, policy, now);
    const reachesThreshold =
      Number(counts.window_failures) + 1 >= policy.lockoutThreshold || Number(counts.consecutive) + 1 >= MAX_CONSECUTIVE_FAILURES;
    // A lockout already running (a parallel attempt started it) is not started again.
    if (counts.lockout_until || !reachesThreshold) {
      await recordLoginAttempt(tx, { ...attempt, result: "failure" }, now);
      return { lockoutUntil: counts.lockout_until };
    }
    const lockoutUntil = new Date(now.getTime() + lockoutDuration(policy, Number(counts.recent_lockouts)));
    await recordLoginAttempt(tx, { ...attempt, result: "failure", lockoutUntil }, now);
    if ("userId" in key && options.lockMemberToo) {
      const actor: TActor = { tenantId: attempt.tenantId!, memberId: null, ...attempt.client };
      await lockMember(tx, actor, { memberId: key.userId, reason: LOCKOUT_REASON, lockEndDate: lockoutUntil });
    }
    return { lockoutUntil };
  });
}
