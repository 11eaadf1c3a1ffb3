import type { TDatabase, TDatabaseOrTransaction, TTransaction } from "@/server/db/client";
import { addressBucket } from "@/server/auth/address-bucket";
import { accountLockKey, LOGIN_REASON, recordLoginAttempt, type TLoginAttempt, type TLoginReason } from "@/server/auth/login-attempts";
import { Prisma } from "@/server/db/generated/client";
import {
  activeLockoutUntil,
  countFailures,
  failureCountsFromRow,
  failureCountsSql,
  lockoutDuration,
  PENDING_LIFETIME_MS,
  reachesThreshold,
  type TFailureCountsRow,
  type TThrottleBucket,
} from "@/server/auth/lockout";
import { accountLimitEnd, accountLimitReachedAtSql, addressLimitEnd, addressLimitReachedAtSql, minutesUntil } from "@/server/auth/rate-limits";
import { SIGN_IN_ERROR, signInErrorMessage } from "@/server/auth/schemas";
import type { TSecurityPolicy } from "@/server/auth/security-policy-schemas";
import { sendThrottleNotice } from "@/server/auth/throttle-notice";
import { recordThrottleStarted } from "@/server/auth/sign-in-audit-events";
import { ForbiddenError } from "@/server/errors";

// The attempt gate: every check of a secret at sign-in (password, the MFA
// code step, "Confirm it's you", the current password when changing it)
// passes through it. Before hashing, one short transaction under the
// account's advisory lock (and the client address's) counts recent failures
// PLUS the checks still in flight, and either refuses (without hashing) or
// reserves a slot: a 'pending' row in the login history. After the check the
// reservation becomes its outcome. So a burst of any size gets at most the
// allowed number of checks, and a right secret whose check ran while a
// parallel one started the throttle is answered exactly like a wrong one.

export type TGateAttempt = Omit<TLoginAttempt, "result" | "reason" | "lockoutUntil" | "familiar" | "abnormalReasons">;
export type TGate = { bucket: TThrottleBucket; policy: TSecurityPolicy; attempt: TGateAttempt };
export type TGateRefusal = { kind: "throttled"; until: Date } | { kind: "rate_limited"; until: Date };

async function lockAccount(tx: TDatabaseOrTransaction, gate: TGate) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${accountLockKey(gate.bucket.key)}, 0))`;
}

const record = (tx: TDatabaseOrTransaction, gate: TGate, fields: Pick<TLoginAttempt, "result" | "reason" | "lockoutUntil">, now: Date, id: bigint | null = null) =>
  recordLoginAttempt(tx, { ...gate.attempt, familiar: gate.bucket.familiar, ...fields }, now, id);

/**
 * Why this attempt may not be checked now, or null. Runs under the locks, in
 * one statement (the sign-in hot path pays per round trip): the address
 * limit, the bucket's failure counts and its rate limit, decided in that order.
 */
async function refusalFor(tx: TTransaction, gate: TGate, address: string | null, now: Date): Promise<{ refusal: TGateRefusal; reason: TLoginReason } | null> {
  const limits = Prisma.sql`, ${addressLimitReachedAtSql(address, now)} AS address_reached_at, ${accountLimitReachedAtSql(gate.bucket, gate.policy, now)} AS account_reached_at`;
  const [row] = await tx.$queryRaw<(TFailureCountsRow & { address_reached_at: Date | null; account_reached_at: Date | null })[]>(
    failureCountsSql(gate.bucket, gate.policy, now, null, limits),
  );
  const addressUntil = addressLimitEnd(row!.address_reached_at);
  if (addressUntil) return { refusal: { kind: "rate_limited", until: addressUntil }, reason: LOGIN_REASON.addressRateLimit };
  const counts = failureCountsFromRow(row!);
  if (counts.lockout_until) return { refusal: { kind: "throttled", until: counts.lockout_until }, reason: LOGIN_REASON.lockedOut };
  const accountUntil = accountLimitEnd(row!.account_reached_at);
  if (accountUntil) return { refusal: { kind: "rate_limited", until: accountUntil }, reason: LOGIN_REASON.accountRateLimit };
  // The checks in flight may all fail: together with the failures they must stay below the threshold.
  if (counts.pending > 0 && reachesThreshold(counts, gate.policy, counts.pending)) {
    return { refusal: { kind: "rate_limited", until: new Date(now.getTime() + PENDING_LIFETIME_MS) }, reason: LOGIN_REASON.checksInFlight };
  }
  return null;
}

/**
 * A burst queues on one address's or account's advisory lock, each waiter
 * holding a pooled connection: under load, Prisma's default 2 s wait for a
 * connection would turn attempts into errors instead of counted refusals.
 */
export const GATE_TRANSACTION = { maxWait: 10_000, timeout: 10_000 } as const;

/** Before the check: a reserved slot, or the refusal (recorded in the login history) when none is left. */
export async function reserveCheck(db: TDatabase, gate: TGate, now = new Date()): Promise<{ reservationId: bigint } | { refusal: TGateRefusal }> {
  const address = addressBucket(gate.attempt.client.ipAddress);
  return db.$transaction(async (tx) => {
    // Address first, then account, everywhere: two gates never wait on each other in a circle.
    // One statement takes both (its select list is evaluated left to right); its own statement, so
    // the counts that follow see every attempt committed by whoever held the locks before.
    if (address) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`login-address:${address}`}, 0)), pg_advisory_xact_lock(hashtextextended(${accountLockKey(gate.bucket.key)}, 0))`;
    } else {
      await lockAccount(tx, gate);
    }
    const refused = await refusalFor(tx, gate, address, now);
    if (refused) {
      const result = refused.refusal.kind === "throttled" ? "locked" : "rate_limited";
      await record(tx, gate, { result, reason: refused.reason }, now);
      return { refusal: refused.refusal };
    }
    return { reservationId: await record(tx, gate, { result: "pending", reason: LOGIN_REASON.checking }, now) };
  }, GATE_TRANSACTION);
}

/**
 * The check failed: the reservation becomes a failure, and the throttle starts
 * when it reaches the threshold (or the consecutive cap); a real member gets
 * a notice mail when it starts. Returns the running throttle's end, if any.
 */
export async function settleFailure(db: TDatabase, gate: TGate, reservationId: bigint, reason: TLoginReason, now = new Date()): Promise<{ throttledUntil: Date | null }> {
  return db.$transaction(async (tx) => {
    await lockAccount(tx, gate);
    const counts = await countFailures(tx, gate.bucket, gate.policy, now, reservationId);
    // A throttle already running (a parallel attempt started it) is not started again.
    if (counts.lockout_until || !reachesThreshold(counts, gate.policy, 1)) {
      await record(tx, gate, { result: "failure", reason }, now, reservationId);
      return { throttledUntil: counts.lockout_until };
    }
    const throttledUntil = new Date(now.getTime() + lockoutDuration(gate.policy, counts.recent_lockouts));
    await record(tx, gate, { result: "failure", reason, lockoutUntil: throttledUntil }, now, reservationId);
    if ("userId" in gate.bucket.key) {
      const throttle = { familiar: gate.bucket.familiar, until: throttledUntil };
      await sendThrottleNotice(tx, gate.bucket.key.userId, throttle);
      await recordThrottleStarted(tx, gate.bucket.key.userId, gate.attempt.client, throttle);
    }
    return { throttledUntil };
  }, GATE_TRANSACTION);
}

/**
 * The check succeeded: call inside the transaction that records the success
 * (on the reservation) and opens the session. If a parallel attempt started
 * the throttle meanwhile, the reservation is recorded as refused and the end
 * of the throttle returned: the caller answers as for a wrong secret.
 */
export async function settleSuccess(tx: TTransaction, gate: TGate, reservationId: bigint, now = new Date()): Promise<Date | null> {
  await lockAccount(tx, gate);
  const running = await activeLockoutUntil(tx, gate.bucket, gate.policy, now);
  if (running) await record(tx, gate, { result: "locked", reason: LOGIN_REASON.lockedOut }, now, reservationId);
  return running;
}

/** The check could not be made at all (the secret was not checked): the reservation records why. */
export async function settleRefusal(db: TDatabaseOrTransaction, gate: TGate, reservationId: bigint, fields: Pick<TLoginAttempt, "result" | "reason" | "abnormalReasons">, now = new Date()) {
  await recordLoginAttempt(db, { ...gate.attempt, familiar: gate.bucket.familiar, ...fields }, now, reservationId);
}

/**
 * The sign-in form's answer to a refused attempt: the same whatever the secret
 * was, and the same for an unknown login as for a real account.
 */
export function gateRefusalError(refusal: TGateRefusal, now: Date): ForbiddenError {
  return refusal.kind === "throttled"
    ? new ForbiddenError(signInErrorMessage(SIGN_IN_ERROR.accountLocked, refusal.until.toISOString()))
    : new ForbiddenError(signInErrorMessage(SIGN_IN_ERROR.rateLimited, minutesUntil(refusal.until, now)));
}

export type TGatedCheck = { kind: "proved" } | { kind: "refused"; refusal: TGateRefusal } | { kind: "wrong"; throttledUntil: Date | null };

/**
 * A check of a secret within a live session ("Confirm it's you", the current
 * password when changing it): through the gate, and a success leaves no row
 * (it is not a sign-in). A check that throws leaves its reservation pending,
 * which stops counting after PENDING_LIFETIME_MS.
 */
export async function checkThroughGate(
  db: TDatabase,
  gate: TGate,
  check: () => Promise<boolean>,
  failureReason: TLoginReason,
  now = new Date(),
): Promise<TGatedCheck> {
  const reserved = await reserveCheck(db, gate, now);
  if ("refusal" in reserved) return { kind: "refused", refusal: reserved.refusal };
  const { reservationId } = reserved;
  if (!(await check())) return { kind: "wrong", ...(await settleFailure(db, gate, reservationId, failureReason, now)) };
  const throttledUntil = await db.$transaction(async (tx) => {
    const running = await settleSuccess(tx, gate, reservationId, now);
    if (!running) await tx.loginAttempt.delete({ where: { id: reservationId } });
    return running;
  }, GATE_TRANSACTION);
  return throttledUntil ? { kind: "refused", refusal: { kind: "throttled", until: throttledUntil } } : { kind: "proved" };
}

/** "Try again in N minute(s)" / "after <time>", for the in-session checks' own forms. */
export function gateRefusalText(refusal: TGateRefusal, now: Date): string {
  return refusal.kind === "throttled"
    ? `Too many wrong attempts: try again after ${refusal.until.toISOString()}`
    : `Too many attempts: try again in ${minutesUntil(refusal.until, now)} minute(s)`;
}
