import type { TDatabase } from "@/server/db/client";
import { canSignIn } from "@/server/auth/can-sign-in";
import { detectAbnormalLogin } from "@/server/auth/abnormal-login";
import { GATE_TRANSACTION, gateRefusalError, reserveCheck, settleFailure, settleRefusal, settleSuccess, type TGate } from "@/server/auth/attempt-gate";
import { isFamiliarDevice } from "@/server/auth/device-cookie";
import { findSignInAccount, type TSignInAccount } from "@/server/auth/find-sign-in-account";
import { lockAfterAbnormalLogin } from "@/server/sign-in/lock-after-abnormal-login";
import { LOGIN_REASON, type TAccountKey } from "@/server/auth/login-attempts";
import { codeRequiredError, startSignInChallenge } from "@/server/auth/mfa/sign-in-challenge";
import { hashPassword, needsRehash } from "@/server/auth/password";
import { verifySignInPassword } from "@/server/sign-in/verify-sign-in-password";
import { passwordPolicyProblems } from "@/server/auth/password-policy";
import { SIGN_IN_ERROR, signInErrorMessage, ZSignIn, type TSignInInput } from "@/server/auth/schemas";
import { DEFAULT_SECURITY_POLICY, type TSecurityPolicy } from "@/server/auth/security-policy-schemas";
import { recordSignIn } from "@/server/auth/record-sign-in";
import type { TClientInfo } from "@/server/shared/actor";
import { ForbiddenError, UnauthorizedError } from "@/server/errors";
import { printableText } from "@/server/validation/text";

const invalidCredentials = () => new UnauthorizedError(SIGN_IN_ERROR.invalidCredentials);
const lockedUntil = (until: Date) => new ForbiddenError(signInErrorMessage(SIGN_IN_ERROR.accountLocked, until.toISOString()));

export type TSignInResult = { sessionId: string; passwordChangeRequired: boolean; memberId: bigint };

/**
 * Signs a member in with organisation + username, email or mobile + password,
 * and opens a session. Every attempt lands in the login history. In order:
 *
 * 1. The attempt gate (server/auth/attempt-gate.ts): the client address's rate
 * limit, a running throttle, the account's rate limit and the checks already
 * in flight each refuse at once, without hashing, and in the same way for an
 * unknown login as for a real account (unknown logins are throttled and
 * limited by the login as typed), so neither the answer nor its timing tells
 * an anonymous caller whether the account exists. Attempts carrying the
 * member's device cookie (`device.cookie`) are counted apart from all others.
 * Every other path costs exactly one argon2id verification (a decoy one for
 * unknown accounts); a member of a directory that signs in by LDAP bind is
 * checked by a bind instead (server/sign-in/verify-sign-in-password.ts), and
 * a directory that cannot answer refuses the attempt without counting it. 2. A wrong password counts towards the throttle, which
 * never locks the member nor ends their sessions. 3. The right password, when
 * a parallel attempt started the throttle meanwhile, is answered as a wrong
 * one. 4. The right password of a member who may not sign in (locked by an
 * admin, disabled…) says so: only the password's owner learns it. 5. An
 * abnormal sign-in is recorded, or refused with a lock, as the tenant's policy
 * says. 6. A member with MFA gets no session yet: the answer carries a
 * challenge for the code step (server/auth/mfa/sign-in-challenge.ts). 7. A
 * weak or expired password opens a session restricted to changing it.
 */
export async function signInWithPassword(
  db: TDatabase,
  rawInput: TSignInInput,
  client: TClientInfo,
  now = new Date(),
  device: { cookie?: string | null } = {},
): Promise<TSignInResult> {
  const parsed = ZSignIn.safeParse(rawInput);
  // A refused login is still recorded (and throttled), made printable and bounded first.
  const login = parsed.success ? parsed.data.login : printableText(String(rawInput.login ?? "")).trim().slice(0, 200);
  const password = parsed.success ? parsed.data.password : "";
  const found = parsed.success ? await findSignInAccount(db, parsed.data.organisation, login) : null;
  const tenantId = found?.tenantId ?? null;
  const member = found?.member ?? null;
  const policy = found?.policy ?? DEFAULT_SECURITY_POLICY;
  const key: TAccountKey = member ? { userId: member.id } : { tenantId, login };
  const familiar = member !== null && isFamiliarDevice(device.cookie, member.id, now);
  const gate: TGate = { bucket: { key, familiar }, policy, attempt: { tenantId, userId: member?.id ?? null, login, client } };

  const reserved = await reserveCheck(db, gate, now);
  if ("refusal" in reserved) throw gateRefusalError(reserved.refusal, now);
  const { reservationId } = reserved;

  const checked = await verifySignInPassword(db, tenantId, member, password);
  if (checked === "unreachable" && member) {
    // Not a wrong password (it was never checked) and never a way in: recorded, and the member told to retry.
    await settleRefusal(db, gate, reservationId, { result: "blocked", reason: LOGIN_REASON.directoryUnreachable }, now);
    throw new ForbiddenError(SIGN_IN_ERROR.directoryUnreachable);
  }
  const byDirectory = member?.bindDirectoryId != null;
  if (checked !== "right" || !member || !found || (!member.passwordHash && !byDirectory)) {
    const reason = !found
      ? LOGIN_REASON.unknownOrganisation
      : !member
        ? LOGIN_REASON.unknownAccount
        : !member.passwordHash && !byDirectory
          ? LOGIN_REASON.noPassword
          : LOGIN_REASON.wrongPassword;
    const { throttledUntil } = await settleFailure(db, gate, reservationId, reason, now);
    throw throttledUntil ? lockedUntil(throttledUntil) : invalidCredentials();
  }

  if (!canSignIn(member)) {
    // Only the password's owner gets this far: the admin's lock or a disable is theirs to know.
    const locked = member.locked;
    await settleRefusal(db, gate, reservationId, { result: "blocked", reason: locked ? LOGIN_REASON.accountLocked : LOGIN_REASON.accountDisabled }, now);
    throw locked && member.lockEndAt ? lockedUntil(member.lockEndAt) : new ForbiddenError(SIGN_IN_ERROR.accountBlocked);
  }

  const abnormal = await detectAbnormalLogin(db, member.id, client, now);
  if (abnormal.length > 0 && policy.abnormalLoginAction === "lock") {
    const until = await lockAfterAbnormalLogin(db, { ...gate.attempt, userId: member.id, tenantId: found.tenantId, familiar, reservationId }, abnormal, policy, now);
    throw new ForbiddenError(signInErrorMessage(SIGN_IN_ERROR.abnormalBlocked, until.toISOString()));
  }
  const opened = await openSession(db, found.tenantId, member, password, { gate, reservationId, login, abnormal, policy }, now);
  return { ...opened, memberId: member.id };
}

type TOpenContext = { gate: TGate; reservationId: bigint; login: string; abnormal: readonly string[]; policy: TSecurityPolicy };

/** The password was right and the member may sign in: record it, open the session, go online. */
async function openSession(
  db: TDatabase,
  tenantId: bigint,
  member: TSignInAccount,
  password: string,
  context: TOpenContext,
  now: Date,
): Promise<{ sessionId: string; passwordChangeRequired: boolean }> {
  const { gate, reservationId, login, abnormal, policy } = context;
  const client = gate.attempt.client;
  // A directory's password is the directory's to expire and to judge: a session restricted to changing
  // it here would be a dead end, since Tenure cannot change it (nor keeps a hash to re-hash).
  const byDirectory = member.bindDirectoryId !== null;
  const expired = !byDirectory && member.passwordExpiresAt !== null && member.passwordExpiresAt.getTime() <= now.getTime();
  const weak =
    !byDirectory &&
    passwordPolicyProblems(password, {
      minLength: policy.passwordMinLength,
      personal: [member.firstName, member.lastName, member.fullName, member.username, member.email],
    }).length > 0;
  const passwordChangeRequired = !byDirectory && (member.passwordChangeRequired || expired || weak);
  // A hash made with weaker parameters than today's is replaced while the password is at hand.
  const rehashed = !byDirectory && member.passwordHash && needsRehash(member.passwordHash) ? await hashPassword(password) : null;
  const mfa = member.mfaEnabled;
  type TOutcome = { kind: "throttled"; until: Date } | { kind: "challenge"; token: string } | { kind: "session"; sessionId: string };
  const outcome = await db.$transaction(async (tx): Promise<TOutcome> => {
    const throttledUntil = await settleSuccess(tx, gate, reservationId, now);
    if (throttledUntil) return { kind: "throttled", until: throttledUntil };
    if (rehashed) await tx.$executeRaw`UPDATE users SET password_hash = ${rehashed} WHERE id = ${member.id}`;
    if (mfa) {
      // Not a sign-in yet: the code step records the outcome (and passes its own gate).
      await tx.loginAttempt.delete({ where: { id: reservationId } });
      return { kind: "challenge", token: await startSignInChallenge(tx, { tenantId, userId: member.id, login, abnormal, passwordChangeRequired }, now) };
    }
    const id = await recordSignIn(
      tx,
      { reservationId, tenantId, userId: member.id, client, abnormalReasons: abnormal, passwordChangeRequired, policy },
      now,
    );
    return { kind: "session", sessionId: id };
  }, GATE_TRANSACTION);
  if (outcome.kind === "throttled") throw lockedUntil(outcome.until);
  if (outcome.kind === "challenge") throw codeRequiredError(outcome.token);
  return { sessionId: outcome.sessionId, passwordChangeRequired };
}
