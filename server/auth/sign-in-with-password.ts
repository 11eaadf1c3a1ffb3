import type { TDatabase } from "@/server/db/client";
import { canSignIn } from "@/server/auth/can-sign-in";
import { detectAbnormalLogin } from "@/server/auth/abnormal-login";
import { findSignInAccount, type TSignInAccount } from "@/server/auth/find-sign-in-account";
import { lockAfterAbnormalLogin } from "@/server/auth/lock-after-abnormal-login";
import { LOGIN_REASON, recordLoginAttempt, type TAccountKey, type TLoginReason, type TLoginResult } from "@/server/auth/login-attempts";
import { activeLockoutUntil, recordFailedAttempt } from "@/server/auth/lockout";
import { hasMfaEnabled } from "@/server/auth/mfa/second-factor";
import { codeRequiredError, startSignInChallenge } from "@/server/auth/mfa/sign-in-challenge";
import { hashPassword, needsRehash, verifyAgainstDecoy, verifyPassword } from "@/server/auth/password";
import { passwordPolicyProblems } from "@/server/auth/password-policy";
import { accountLimitedUntil, addressLimitedUntil, minutesUntil } from "@/server/auth/rate-limits";
import { SIGN_IN_ERROR, signInErrorMessage, ZSignIn, type TSignInInput } from "@/server/auth/schemas";
import { DEFAULT_SECURITY_POLICY, type TSecurityPolicy } from "@/server/auth/security-policy-schemas";
import { createSession, type TClientInfo } from "@/server/auth/sessions";
import { ForbiddenError, UnauthorizedError, type DomainError } from "@/server/errors";
import { printableText } from "@/server/validation/text";

const invalidCredentials = () => new UnauthorizedError(SIGN_IN_ERROR.invalidCredentials);
const lockedUntil = (until: Date) => new ForbiddenError(signInErrorMessage(SIGN_IN_ERROR.accountLocked, until.toISOString()));
const rateLimited = (until: Date, now: Date) => new ForbiddenError(signInErrorMessage(SIGN_IN_ERROR.rateLimited, minutesUntil(until, now)));

/**
 * Signs a member in with organisation + username, email or mobile + password,
 * and opens a session. Every attempt lands in the login history. In order:
 *
 * 1. the client address's rate limit, 2. a running lockout, 3. the account's
 * rate limit: each refuses at once, without hashing, and in the same way for
 * an unknown login as for a real account (unknown logins are locked out and
 * limited by the login as typed), so neither the answer nor its timing tells
 * an anonymous caller whether the account exists. Every other path costs
 * exactly one argon2id verification (a decoy one for unknown accounts).
 * 4. A wrong password counts towards the lockout, which locks a real member
 * through the lifecycle. 5. The right password of a member who may not sign in
 * (locked by an admin, disabled…) says so: only the password's owner learns it.
 * 6. An abnormal sign-in is recorded, or refused with a lock, as the tenant's
 * policy says. 7. A member with MFA gets no session yet: the answer carries a
 * challenge for the code step (server/auth/mfa/sign-in-challenge.ts). 8. A
 * weak or expired password opens a session restricted to changing it.
 */
export async function signInWithPassword(
  db: TDatabase,
  rawInput: TSignInInput,
  client: TClientInfo,
  now = new Date(),
): Promise<{ sessionId: string; passwordChangeRequired: boolean }> {
  const parsed = ZSignIn.safeParse(rawInput);
  // A refused login is still recorded (and throttled), made printable and bounded first.
  const login = parsed.success ? parsed.data.login : printableText(String(rawInput.login ?? "")).trim().slice(0, 200);
  const password = parsed.success ? parsed.data.password : "";
  const found = parsed.success ? await findSignInAccount(db, parsed.data.organisation, login) : null;
  const tenantId = found?.tenantId ?? null;
  const member = found?.member ?? null;
  const policy = found?.policy ?? DEFAULT_SECURITY_POLICY;
  const key: TAccountKey = member ? { userId: member.id } : { tenantId, login };
  const attempt = { tenantId, userId: member?.id ?? null, login, client };
  const refuse = async (result: TLoginResult, reason: TLoginReason, error: DomainError): Promise<never> => {
    await recordLoginAttempt(db, { ...attempt, result, reason }, now);
    throw error;
  };

  const addressUntil = await addressLimitedUntil(db, client.ipAddress, now);
  if (addressUntil) return refuse("rate_limited", LOGIN_REASON.addressRateLimit, rateLimited(addressUntil, now));
  const lockoutUntil = await activeLockoutUntil(db, key, policy, now);
  // An admin who unlocks a member early ends their lockout too.
  if (lockoutUntil && (!member || member.locked)) return refuse("locked", LOGIN_REASON.lockedOut, lockedUntil(lockoutUntil));
  const accountUntil = await accountLimitedUntil(db, key, now);
  if (accountUntil) return refuse("rate_limited", LOGIN_REASON.accountRateLimit, rateLimited(accountUntil, now));

  const verified = member?.passwordHash ? await verifyPassword(member.passwordHash, password) : await verifyAgainstDecoy(password);
  if (!verified || !member?.passwordHash || !found) {
    const reason = !found
      ? LOGIN_REASON.unknownOrganisation
      : !member
        ? LOGIN_REASON.unknownAccount
        : !member.passwordHash
          ? LOGIN_REASON.noPassword
          : LOGIN_REASON.wrongPassword;
    const failure = await recordFailedAttempt(
      db,
      key,
      { ...attempt, reason },
      policy,
      // Only an active member is locked through the lifecycle: an admin's own lock or a disable stays as it is.
      { lockMemberToo: member !== null && canSignIn(member) },
      now,
    );
    throw failure.lockoutUntil ? lockedUntil(failure.lockoutUntil) : invalidCredentials();
  }

  if (!canSignIn(member)) {
    if (member.locked) {
      return refuse("blocked", LOGIN_REASON.accountLocked, member.lockEndAt ? lockedUntil(member.lockEndAt) : new ForbiddenError(SIGN_IN_ERROR.accountBlocked));
    }
    return refuse("blocked", LOGIN_REASON.accountDisabled, new ForbiddenError(SIGN_IN_ERROR.accountBlocked));
  }

  const abnormal = await detectAbnormalLogin(db, member.id, client, now);
  if (abnormal.length > 0 && policy.abnormalLoginAction === "lock") {
    const until = await lockAfterAbnormalLogin(db, { ...attempt, userId: member.id, tenantId: found.tenantId }, abnormal, policy, now);
    throw new ForbiddenError(signInErrorMessage(SIGN_IN_ERROR.abnormalBlocked, until.toISOString()));
  }
  return openSession(db, found.tenantId, { ...member, passwordHash: member.passwordHash }, password, { client, login, abnormal, policy }, now);
}

/** The password was right and the member may sign in: record it, open the session, go online. */
async function openSession(
  db: TDatabase,
  tenantId: bigint,
  member: TSignInAccount & { passwordHash: string },
  password: string,
  context: { client: TClientInfo; login: string; abnormal: readonly string[]; policy: TSecurityPolicy },
  now: Date,
): Promise<{ sessionId: string; passwordChangeRequired: boolean }> {
  const { client, login, abnormal, policy } = context;
  const expired = member.passwordExpiresAt !== null && member.passwordExpiresAt.getTime() <= now.getTime();
  const weak =
    passwordPolicyProblems(password, {
      minLength: policy.passwordMinLength,
      personal: [member.firstName, member.lastName, member.fullName, member.username, member.email],
    }).length > 0;
  const passwordChangeRequired = member.passwordChangeRequired || expired || weak;
  // A hash made with weaker parameters than today's is replaced while the password is at hand.
  const rehashed = needsRehash(member.passwordHash) ? await hashPassword(password) : null;
  if (await hasMfaEnabled(db, member.id)) {
    if (rehashed) await db.$executeRaw`UPDATE users SET password_hash = ${rehashed} WHERE id = ${member.id}`;
    throw codeRequiredError(await startSignInChallenge(db, { tenantId, userId: member.id, login, abnormal, passwordChangeRequired }, now));
  }
  const sessionId = await db.$transaction(async (tx) => {
    await recordLoginAttempt(tx, { tenantId, userId: member.id, login, client, result: "success", reason: LOGIN_REASON.signedIn, abnormalReasons: abnormal }, now);
    const id = await createSession(tx, { tenantId, userId: member.id, ...client }, now, policy);
    // Raw SQL: signing in is not an edit of the member record, so its lastModifiedDate stays.
    await tx.$executeRaw`
      UPDATE users SET online = true, online_at = ${now}, password_change_required = ${passwordChangeRequired},
        password_hash = coalesce(${rehashed}, password_hash)
      WHERE id = ${member.id}`;
    return id;
  });
  return { sessionId, passwordChangeRequired };
}
