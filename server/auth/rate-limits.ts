import { Prisma } from "@/server/db/generated/client";
import type { TDatabaseOrTransaction } from "@/server/db/client";
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
 * When the limit is reached: the moment the oldest counted failure leaves the
 * window (so that one more attempt is allowed). Null when under the limit.
 */
async function limitedUntil(
  db: TDatabaseOrTransaction,
  scope: Prisma.Sql,
  limit: { attempts: number; windowMinutes: number },
  now: Date,
): Promise<Date | null> {
  const windowStart = new Date(now.getTime() - limit.windowMinutes * MINUTE_MS);
  const pendingSince = new Date(now.getTime() - PENDING_LIFETIME_MS);
  // The partial index login_attempts_address_failures_idx serves the address case: keep its predicate as written.
  const [row] = await db.$queryRaw<{ created_at: Date }[]>`
    SELECT created_at FROM login_attempts
    WHERE ${scope} AND result IN ('failure', 'locked', 'pending') AND created_at > ${windowStart}
      AND (result <> 'pending' OR created_at > ${pendingSince})
    ORDER BY created_at DESC
    OFFSET ${limit.attempts - 1} LIMIT 1`;
  return row ? new Date(row.created_at.getTime() + limit.windowMinutes * MINUTE_MS) : null;
}

export function addressLimitedUntil(db: TDatabaseOrTransaction, bucket: string | null, now: Date): Promise<Date | null> {
  // Without a client address only the per-account limit applies.
  if (!bucket) return Promise.resolve(null);
  return limitedUntil(db, Prisma.sql`address_bucket = ${bucket}`, RATE_LIMITS.perAddress, now);
}

export function accountLimitedUntil(
  db: TDatabaseOrTransaction,
  bucket: TThrottleBucket,
  policy: Pick<TSecurityPolicy, "lockoutMaxDurationMinutes">,
  now: Date,
): Promise<Date | null> {
  return limitedUntil(db, bucketCondition(bucket, lockoutLookback(policy, now)), RATE_LIMITS.perAccount, now);
}

/** "Try again in N minutes", rounded up, at least 1. */
export function minutesUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / MINUTE_MS));
}
