import { Prisma } from "@/server/db/generated/client";
import { bucketCondition, lockoutLookback, PENDING_LIFETIME_MS, type TThrottleBucket } from "@/server/auth/lockout";
import type { TSecurityPolicy } from "@/server/auth/security-policy-schemas";

// Sliding-window rate limits on failed sign-in attempts, counted in the login
// history so that every app process agrees. They brake guessing before the
// throttle does and refuse without any password hashing, for known and unknown
// accounts alike. Checks in flight ('pending' reservations of the attempt
// gate) count as failures until they settle, so a parallel burst gets no more
// checks than the limit. Successful sign-ins do not count: an office behind
// one address signing in every morning is never slowed down.

export const RATE_LIMITS = {
  /** Failed attempts from one client address (IPv4) or /64 (IPv6), whichever accounts they try. */
  perAddress: { attempts: 30, windowMinutes: 10 },
  /** Failed attempts on one account (or unknown login) in a short burst, per bucket (familiar or not). */
  perAccount: { attempts: 5, windowMinutes: 1 },
} as const;

const MINUTE_MS = 60 * 1000;

/**
 * A scalar subquery: the newest `attempts`-th counted failure in the window
 * (the limit is reached), or NULL. So the gate reads it in the same statement
 * as its other counts (server/auth/attempt-gate.ts).
 */
function limitReachedAtSql(scope: Prisma.Sql, limit: { attempts: number; windowMinutes: number }, now: Date): Prisma.Sql {
  const windowStart = new Date(now.getTime() - limit.windowMinutes * MINUTE_MS);
  const pendingSince = new Date(now.getTime() - PENDING_LIFETIME_MS);
  // The partial index login_attempts_address_failures_idx serves the address case: keep its predicate as written.
  return Prisma.sql`(
    SELECT created_at FROM login_attempts
    WHERE ${scope} AND result IN ('failure', 'locked', 'pending') AND created_at > ${windowStart}
      AND (result <> 'pending' OR created_at > ${pendingSince})
    ORDER BY created_at DESC
    OFFSET ${limit.attempts - 1} LIMIT 1)`;
}

/** When the limit reached at `reachedAt` lets one more attempt through: the moment the oldest counted failure leaves the window. */
const limitEnd = (reachedAt: Date | null, limit: { windowMinutes: number }): Date | null =>
  reachedAt ? new Date(reachedAt.getTime() + limit.windowMinutes * MINUTE_MS) : null;

/** The address limit as a scalar subquery (NULL: under it, or no address: only the per-account limit applies). */
export function addressLimitReachedAtSql(bucket: string | null, now: Date): Prisma.Sql {
  return bucket ? limitReachedAtSql(Prisma.sql`address_bucket = ${bucket}`, RATE_LIMITS.perAddress, now) : Prisma.sql`NULL::timestamptz`;
}

export function accountLimitReachedAtSql(bucket: TThrottleBucket, policy: Pick<TSecurityPolicy, "lockoutMaxDurationMinutes">, now: Date): Prisma.Sql {
  return limitReachedAtSql(bucketCondition(bucket, lockoutLookback(policy, now)), RATE_LIMITS.perAccount, now);
}

export const addressLimitEnd = (reachedAt: Date | null) => limitEnd(reachedAt, RATE_LIMITS.perAddress);
export const accountLimitEnd = (reachedAt: Date | null) => limitEnd(reachedAt, RATE_LIMITS.perAccount);

/** "Try again in N minutes", rounded up, at least 1. */
export function minutesUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / MINUTE_MS));
}
