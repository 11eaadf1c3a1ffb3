import { Prisma } from "@/server/db/generated/client";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import { addressBucket } from "@/server/auth/address-bucket";
import { deviceFamily, networkOf } from "@/server/auth/client-device";
import type { TClientInfo } from "@/server/shared/actor";

// The login history: one row per sign-in attempt, whatever its outcome. The
// same rows drive lockout, rate limits and abnormal-login detection, so those
// agree across every app process (they share only the database).

/** "pending": a check the attempt gate reserved, not settled yet; "cleared": an admin cleared the sign-in throttle. */
export const LOGIN_RESULTS = ["success", "failure", "locked", "rate_limited", "blocked", "pending", "cleared"] as const;
export type TLoginResult = (typeof LOGIN_RESULTS)[number];

export const LOGIN_REASON = {
  signedIn: "signed_in",
  wrongPassword: "wrong_password",
  wrongCurrentPassword: "wrong_current_password",
  /** A wrong second-factor code: at the sign-in code step, or confirming it is them (server/auth/mfa). */
  wrongMfaCode: "wrong_mfa_code",
  unknownAccount: "unknown_account",
  unknownOrganisation: "unknown_organisation",
  noPassword: "no_password",
  lockedOut: "locked_out",
  accountLocked: "account_locked",
  accountDisabled: "account_disabled",
  addressRateLimit: "address_rate_limit",
  accountRateLimit: "account_rate_limit",
  abnormalLogin: "abnormal_login",
  /** A reserved check in flight (server/auth/attempt-gate.ts). */
  checking: "checking",
  /** Too many checks already in flight on the account: refused before hashing. */
  checksInFlight: "checks_in_flight",
  throttleCleared: "throttle_cleared",
  /** Sign-in by LDAP bind: the member's directory could not be reached, so the password was not checked. */
  directoryUnreachable: "directory_unreachable",
} as const;
export type TLoginReason = (typeof LOGIN_REASON)[keyof typeof LOGIN_REASON];

/**
 * Whose attempts count together: a member, or, for a login that matches no
 * account, that login (as typed, in any letter case) within the organisation.
 * Unknown logins thus get the same lockout and limits a real account would.
 */
export type TAccountKey = { userId: bigint } | { tenantId: bigint | null; login: string };

export const LOGIN_MAX_LENGTH = 100;

export function accountKeyCondition(key: TAccountKey): Prisma.Sql {
  if ("userId" in key) return Prisma.sql`user_id = ${key.userId}`;
  const tenant = key.tenantId === null ? Prisma.sql`tenant_id IS NULL` : Prisma.sql`tenant_id = ${key.tenantId}`;
  return Prisma.sql`user_id IS NULL AND ${tenant} AND login = ${key.login.slice(0, LOGIN_MAX_LENGTH)}::citext`;
}

/** A number for pg_advisory_xact_lock: attempts on one account are counted one at a time. */
export function accountLockKey(key: TAccountKey): string {
  return "userId" in key ? `login:user:${key.userId}` : `login:${key.tenantId ?? "none"}:${key.login.slice(0, LOGIN_MAX_LENGTH).toLowerCase()}`;
}

export type TLoginAttempt = {
  tenantId: bigint | null;
  userId: bigint | null;
  login: string;
  client: TClientInfo;
  result: TLoginResult;
  reason: TLoginReason;
  abnormalReasons?: readonly string[];
  lockoutUntil?: Date | null;
  /** The attempt carried a valid device cookie of its member (or came from the member's live session). */
  familiar?: boolean;
};

/** Records an attempt; with `reservationId`, settles the gate's reservation into it instead (its time stays the reservation's). */
export async function recordLoginAttempt(db: TDatabaseOrTransaction, attempt: TLoginAttempt, now = new Date(), reservationId: bigint | null = null): Promise<bigint> {
  const abnormal = (attempt.abnormalReasons?.length ?? 0) > 0;
  if (reservationId !== null) {
    await db.loginAttempt.update({
      where: { id: reservationId },
      data: {
        result: attempt.result,
        reason: attempt.reason,
        abnormal,
        abnormalReason: abnormal ? attempt.abnormalReasons!.join(",").slice(0, 100) : null,
        lockoutUntil: attempt.lockoutUntil ?? null,
      },
    });
    return reservationId;
  }
  const row = await db.loginAttempt.create({
    select: { id: true },
    data: {
      tenantId: attempt.tenantId,
      userId: attempt.userId,
      login: attempt.login.slice(0, LOGIN_MAX_LENGTH),
      ipAddress: attempt.client.ipAddress?.slice(0, 45) ?? null,
      network: networkOf(attempt.client.ipAddress),
      userAgent: attempt.client.userAgent?.slice(0, 512) ?? null,
      device: deviceFamily(attempt.client.userAgent)?.slice(0, 60) ?? null,
      result: attempt.result,
      reason: attempt.reason,
      abnormal,
      abnormalReason: abnormal ? attempt.abnormalReasons!.join(",").slice(0, 100) : null,
      lockoutUntil: attempt.lockoutUntil ?? null,
      familiar: attempt.familiar ?? false,
      addressBucket: addressBucket(attempt.client.ipAddress),
      createdAt: now,
    },
  });
  return row.id;
}
