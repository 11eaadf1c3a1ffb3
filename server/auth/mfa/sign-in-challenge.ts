import { createHash, randomBytes } from "node:crypto";
import type { TDatabase, TDatabaseOrTransaction, TTransaction } from "@/server/db/client";
import { canSignIn } from "@/server/auth/can-sign-in";
import { recordAbnormalSignIn } from "@/server/auth/sign-in-audit-events";
import { GATE_TRANSACTION, gateRefusalError, reserveCheck, settleFailure, settleSuccess, type TGate } from "@/server/auth/attempt-gate";
import { isFamiliarDevice } from "@/server/auth/device-cookie";
import { LOGIN_REASON, recordLoginAttempt } from "@/server/auth/login-attempts";
import { consumeSecondFactor } from "@/server/auth/mfa/second-factor";
import { MFA_SIGN_IN_ERROR, ZMfaSignIn, type TMfaSignInInput } from "@/server/auth/mfa/schemas";
import { SIGN_IN_ERROR, signInErrorMessage } from "@/server/auth/schemas";
import { POLICY_COLUMNS_SQL, policyFromColumns, type TPolicyColumns } from "@/server/auth/security-policy";
import { createSession } from "@/server/auth/sessions";
import { type TClientInfo } from "@/server/shared/actor";
import { ForbiddenError, UnauthorizedError } from "@/server/errors";

// Signing in with MFA: the right password opens no session yet but a
// challenge (5 minutes, a few tries, the token held by the browser only, its
// SHA-256 here); the session opens when a code (or a recovery code) follows.
// Wrong codes are failed sign-in attempts: they pass the same attempt gate and
// count towards the account's rate limit and throttle exactly as wrong passwords do.

export const CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;
export const CHALLENGE_MAX_ATTEMPTS = 5;

const tokenHash = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** The error the password step ends with for a member with MFA: the form asks for the code with this token. */
export function codeRequiredError(challenge: string): UnauthorizedError {
  return new UnauthorizedError(`${MFA_SIGN_IN_ERROR.codeRequired}:${challenge}`);
}

/** After the right password: a challenge instead of a session. Returns the token for the browser. */
export async function startSignInChallenge(
  db: TDatabaseOrTransaction,
  input: { tenantId: bigint; userId: bigint; login: string; abnormal: readonly string[]; passwordChangeRequired: boolean },
  now = new Date(),
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  // Ended challenges of the member are of no more use: the table keeps only live ones and the newest.
  await db.signInChallenge.deleteMany({ where: { userId: input.userId, OR: [{ usedAt: { not: null } }, { expiresAt: { lte: now } }] } });
  await db.signInChallenge.create({
    data: {
      tenantId: input.tenantId,
      userId: input.userId,
      tokenHash: tokenHash(token),
      login: input.login.slice(0, 100),
      abnormalReason: input.abnormal.length > 0 ? input.abnormal.join(",").slice(0, 100) : null,
      passwordChangeRequired: input.passwordChangeRequired,
      expiresAt: new Date(now.getTime() + CHALLENGE_LIFETIME_MS),
      createdAt: now,
    },
  });
  return token;
}

type TChallengeRow = TPolicyColumns & {
  id: bigint;
  tenant_id: bigint;
  user_id: bigint;
  login: string;
  abnormal_reason: string | null;
  password_change_required: boolean;
  attempts: number;
  expires_at: Date;
  used_at: Date | null;
  enabled: boolean;
  locked: boolean;
  state: string;
};

const challengeEnded = () => new UnauthorizedError(MFA_SIGN_IN_ERROR.challengeEnded);

/**
 * The code step: refuses an unknown, used, expired or exhausted challenge and
 * a member who may no longer sign in; then passes the attempt gate (a running
 * throttle, the account's rate limit and the checks in flight refuse at once)
 * and claims one of the challenge's tries atomically, so a parallel burst gets
 * no more tries than the challenge has. Then, in one transaction, spends the
 * code (TOTP step or recovery code), claims the challenge and opens the
 * session. A wrong code is a failed sign-in attempt.
 */
export async function completeSignInChallenge(
  db: TDatabase,
  rawInput: TMfaSignInInput,
  client: TClientInfo,
  now = new Date(),
  device: { cookie?: string | null } = {},
): Promise<{ sessionId: string; passwordChangeRequired: boolean; memberId: bigint }> {
  const parsed = ZMfaSignIn.safeParse(rawInput);
  if (!parsed.success) throw challengeEnded();
  const { challenge, code } = parsed.data;
  const [row] = await db.$queryRaw<TChallengeRow[]>`
    SELECT c.id, c.tenant_id, c.user_id, c.login, c.abnormal_reason, c.password_change_required, c.attempts, c.expires_at, c.used_at,
           u.enabled, u.locked, u.state, ${POLICY_COLUMNS_SQL}
    FROM sign_in_challenges c
    JOIN users u ON u.id = c.user_id
    LEFT JOIN tenant_security_policies p ON p.tenant_id = c.tenant_id
    WHERE c.token_hash = ${tokenHash(challenge)}`;
  if (!row || row.used_at || row.expires_at.getTime() <= now.getTime() || row.attempts >= CHALLENGE_MAX_ATTEMPTS) throw challengeEnded();
  if (!canSignIn(row)) throw new ForbiddenError(SIGN_IN_ERROR.accountBlocked);
  const familiar = isFamiliarDevice(device.cookie, row.user_id, now);
  const gate: TGate = {
    bucket: { key: { userId: row.user_id }, familiar },
    policy: policyFromColumns(row),
    attempt: { tenantId: row.tenant_id, userId: row.user_id, login: row.login, client },
  };

  const reserved = await reserveCheck(db, gate, now);
  if ("refusal" in reserved) throw gateRefusalError(reserved.refusal, now);
  const { reservationId } = reserved;
  const [claimedTry] = await db.$queryRaw<{ attempts: number }[]>`
    UPDATE sign_in_challenges SET attempts = attempts + 1
    WHERE id = ${row.id} AND used_at IS NULL AND expires_at > ${now} AND attempts < ${CHALLENGE_MAX_ATTEMPTS}
    RETURNING attempts`;
  if (!claimedTry) {
    // Parallel tries used the challenge up: this code was never checked.
    await db.loginAttempt.delete({ where: { id: reservationId } });
    throw challengeEnded();
  }

  type TOutcome = { kind: "throttled"; until: Date } | { kind: "session"; sessionId: string } | null;
  const outcome = await db.$transaction(async (tx): Promise<TOutcome> => {
    // Before the code is spent: a throttle a parallel attempt started refuses the right code as a wrong one.
    const throttledUntil = await settleSuccess(tx, gate, reservationId, now);
    if (throttledUntil) return { kind: "throttled", until: throttledUntil };
    if (!(await consumeSecondFactor(tx, row.user_id, code, now))) return null;
    const claimed = await tx.$executeRaw`UPDATE sign_in_challenges SET used_at = ${now} WHERE id = ${row.id} AND used_at IS NULL AND expires_at > ${now}`;
    // Another request with the same challenge won meanwhile: the code stays unspent (rolled back).
    if (claimed === 0) throw challengeEnded();
    return { kind: "session", sessionId: await openSession(tx, row, { client, familiar, reservationId }, now) };
  }, GATE_TRANSACTION).catch(async (error: unknown) => {
    // Nothing was settled (rolled back): the reservation goes rather than wait out its 30 seconds.
    await db.loginAttempt.deleteMany({ where: { id: reservationId, result: "pending" } });
    throw error;
  });
  if (outcome?.kind === "throttled") throw new ForbiddenError(signInErrorMessage(SIGN_IN_ERROR.accountLocked, outcome.until.toISOString()));
  if (outcome) return { sessionId: outcome.sessionId, passwordChangeRequired: row.password_change_required, memberId: row.user_id };

  const failure = await settleFailure(db, gate, reservationId, LOGIN_REASON.wrongMfaCode, now);
  if (failure.throttledUntil) throw new ForbiddenError(signInErrorMessage(SIGN_IN_ERROR.accountLocked, failure.throttledUntil.toISOString()));
  const triesLeft = CHALLENGE_MAX_ATTEMPTS - claimedTry.attempts;
  if (triesLeft <= 0) throw challengeEnded();
  throw new UnauthorizedError(`${MFA_SIGN_IN_ERROR.wrongCode}:${triesLeft}`);
}

/** As the password-only sign-in does: the successful attempt in the history, the session, the member online. */
async function openSession(
  tx: TTransaction,
  row: TChallengeRow,
  context: { client: TClientInfo; familiar: boolean; reservationId: bigint },
  now: Date,
): Promise<string> {
  const { client, familiar, reservationId } = context;
  const abnormalReasons = row.abnormal_reason ? row.abnormal_reason.split(",") : [];
  await recordLoginAttempt(
    tx,
    { tenantId: row.tenant_id, userId: row.user_id, login: row.login, client, familiar, result: "success", reason: LOGIN_REASON.signedIn, abnormalReasons },
    now,
    reservationId,
  );
  const sessionId = await createSession(tx, { tenantId: row.tenant_id, userId: row.user_id, ...client }, now, policyFromColumns(row));
  await recordAbnormalSignIn(tx, { tenantId: row.tenant_id, memberId: row.user_id }, client, abnormalReasons, "allowed");
  await tx.$executeRaw`UPDATE login_attempts SET session_id = ${sessionId}::uuid WHERE id = ${reservationId}`;
  await tx.$executeRaw`
    UPDATE users SET online = true, online_at = ${now}, password_change_required = password_change_required OR ${row.password_change_required}
    WHERE id = ${row.user_id}`;
  return sessionId;
}
