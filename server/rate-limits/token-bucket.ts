import type { TDatabaseOrTransaction } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";

// A token bucket in PostgreSQL: `capacity` requests at once, refilled at
// capacity per `perSeconds`. Taking a token is one upsert under the bucket's
// row lock, so processes agree and a parallel burst of N gets exactly
// min(N, tokens left). Sign-in keeps its own limits (server/auth/rate-limits.ts),
// which count failures in the login history.

export type TRateLimit = { capacity: number; perSeconds: number };
export type TTakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * The upsert that takes one token from the bucket of each key `keys` selects
 * (a query with a `key` column), returning `tokens` for each key that had
 * one: a statement of its own, or a data-modifying CTE of a caller's
 * statement (API token authentication takes its token in its lookup's round trip).
 */
export function takeTokenSql(keys: Prisma.Sql, limit: TRateLimit, now: Date): Prisma.Sql {
  // A plain take is a turn with no debt allowed.
  return bucketUpsertSql(keys, limit, 0, now);
}

/** A refused take's wait: how long until the key's bucket holds a whole token again. */
export async function retryAfterSeconds(db: TDatabaseOrTransaction, key: string, limit: TRateLimit, now = new Date()): Promise<number> {
  const rate = limit.capacity / limit.perSeconds;
  const [bucket] = await db.$queryRaw<{ available: number }[]>`
    SELECT LEAST(${limit.capacity}::float8,
                 tokens + GREATEST(0, EXTRACT(EPOCH FROM (${now}::timestamptz - refilled_at))) * ${rate}::float8) AS available
    FROM rate_limit_buckets WHERE key = ${key}`;
  const missing = 1 - (bucket?.available ?? 0);
  return Math.max(1, Math.ceil(missing / rate));
}

export async function takeToken(db: TDatabaseOrTransaction, key: string, limit: TRateLimit, now = new Date()): Promise<TTakeResult> {
  const taken = await db.$queryRaw<{ tokens: number }[]>(takeTokenSql(Prisma.sql`SELECT ${key}::text AS key`, limit, now));
  if (taken.length > 0) return { allowed: true };
  return { allowed: false, retryAfterSeconds: await retryAfterSeconds(db, key, limit, now) };
}

export type TReservation = { allowed: true; waitSeconds: number } | { allowed: false; retryAfterSeconds: number };

/**
 * A turn rather than a refusal, for callers that pace their own calls to someone else's service (a SCIM
 * peer): the bucket may run into debt of up to `maxWaitSeconds` worth of refill, and each caller waits
 * off its share of the debt before it calls. The peer then sees a steady `capacity / perSeconds` after
 * the burst, without the refused callers' round trips of re-queueing and polling. Beyond that debt the
 * take is refused, with how long until the bucket holds a whole token again.
 */
export async function reserveToken(db: TDatabaseOrTransaction, key: string, limit: TRateLimit, maxWaitSeconds: number, now = new Date()): Promise<TReservation> {
  const taken = await db.$queryRaw<{ tokens: number }[]>(reserveTokenSql(key, limit, maxWaitSeconds, now));
  return turnOf(taken[0]?.tokens ?? null, limit) ?? { allowed: false, retryAfterSeconds: await retryAfterSeconds(db, key, limit, now) };
}

/**
 * reserveToken's upsert, returning the bucket's `tokens` after the take (negative: in debt) or no row when refused;
 * a CTE in a caller's statement. The capacity may be an SQL expression (a setting read in the same statement).
 */
export function reserveTokenSql(key: string, limit: { capacity: number | Prisma.Sql; perSeconds: number }, maxWaitSeconds: number, now: Date): Prisma.Sql {
  return bucketUpsertSql(Prisma.sql`SELECT ${key}::text AS key`, limit, maxWaitSeconds, now);
}

/** The one upsert behind takes and turns: each selected key's bucket refilled to now, one token taken if the debt stays within `maxWaitSeconds`. */
function bucketUpsertSql(keys: Prisma.Sql, limit: { capacity: number | Prisma.Sql; perSeconds: number }, maxWaitSeconds: number, now: Date): Prisma.Sql {
  const capacity = typeof limit.capacity === "number" ? Prisma.sql`${limit.capacity}::float8` : Prisma.sql`(${limit.capacity})::float8`;
  const rate = Prisma.sql`(${capacity} / ${limit.perSeconds}::float8)`;
  const refilled = Prisma.sql`LEAST(${capacity}, bucket.tokens + GREATEST(0, EXTRACT(EPOCH FROM (${now}::timestamptz - bucket.refilled_at))) * ${rate})`;
  return Prisma.sql`
    INSERT INTO rate_limit_buckets AS bucket (key, tokens, refilled_at) SELECT k.key, ${capacity} - 1, ${now}::timestamptz FROM (${keys}) AS k
    ON CONFLICT (key) DO UPDATE
      SET tokens = ${refilled} - 1, refilled_at = GREATEST(bucket.refilled_at, ${now}::timestamptz)
      WHERE ${refilled} - 1 >= -(${rate} * ${maxWaitSeconds}::float8)
    RETURNING tokens`;
}

/** The turn a reservation's `tokens` give (how long to wait it off), or null when it was refused. */
export function turnOf(tokens: number | null, limit: TRateLimit): { allowed: true; waitSeconds: number } | null {
  if (tokens === null) return null;
  return { allowed: true, waitSeconds: tokens >= 0 ? 0 : -tokens / (limit.capacity / limit.perSeconds) };
}

/** Whether anything was ever taken from the key's bucket (for tests that prove a refusal cost nothing). */
export async function bucketExists(db: TDatabaseOrTransaction, key: string): Promise<boolean> {
  return (await db.rateLimitBucket.count({ where: { key } })) > 0;
}
