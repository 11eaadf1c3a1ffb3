import { createHash, randomBytes } from "node:crypto";
import type { TDatabase, TDatabaseOrTransaction, TTransaction } from "@/server/db/client";
import { canSignIn } from "@/server/auth/can-sign-in";
import { LOGIN_REASON, recordLoginAttempt } from "@/server/auth/login-attempts";
import { activeLockoutUntil, recordFailedAttempt } from "@/server/auth/lockout";
import { consumeSecondFactor } from "@/server/auth/mfa/second-factor";
import { MFA_SIGN_IN_ERROR, ZMfaSignIn, type TMfaSignInInput } from "@/server/auth/mfa/schemas";
import { accountLimitedUntil, minutesUntil } from "@/server/auth/rate-limits";
import { SIGN_IN_ERROR, signInErrorMessage } from "@/server/auth/schemas";
import { POLICY_COLUMNS_SQL, policyFromColumns, type TPolicyColumns } from "@/server/auth/security-policy";
import { createSession, type TClientInfo } from "@/server/auth/sessions";
import { ForbiddenError, UnauthorizedError } from "@/server/errors";

// Signing in with MFA: the right password opens no session yet but a
// challenge (5 minutes, a few tries, the token held by the browser only, its
// SHA-256 here); the session opens when a code (or a recovery code) follows.
// Wrong codes are failed sign-in attempts: they count towards the account's
// rate limit and lockout exactly as wrong passwords do.

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
 * The code step: refuses an unknown, used, expired or exhausted challenge, a
 * member who may no longer sign in, a running lockout or the account's rate
 * limit; then, in one transaction, spends the code (TOTP step or recovery
 * code), claims the challenge and opens the session. A wrong code uses up one
 * of the challenge's tries and is a failed sign-in attempt.
 */
export async function completeSignInChallenge(
  db: TDatabase,
  rawInput: TMfaSignInInput,
  client: TClientInfo,
  now = new Date(),
): Promise<{ sessionId: string; passwordChangeRequired: boolean }> {
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
  const policy = policyFromColumns(row);
  const key = { userId: row.user_id };
  const attempt = { tenantId: row.tenant_id, userId: row.user_id, login: row.login, client };

  const lockoutUntil = await activeLockoutUntil(db, key, policy, now);
  if (lockoutUntil && row.locked) throw new ForbiddenError(signInErrorMessage(SIGN_IN_ERROR.accountLocked, lockoutUntil.toISOString()));
  if (!canSignIn(row)) throw new ForbiddenError(SIGN_IN_ERROR.accountBlocked);
  const limitedUntil = await accountLimitedUntil(db, key, now);
  if (limitedUntil) {
    await recordLoginAttempt(db, { ...attempt, result: "rate_limited", reason: LOGIN_REASON.accountRateLimit }, now);
    throw new ForbiddenError(signInErrorMessage(SIGN_IN_ERROR.rateLimited, minutesUntil(limitedUntil, now)));
  }

  const sessionId = await db.$transaction(async (tx) => {
    if (!(await consumeSecondFactor(tx, row.user_id, code, now))) return null;
    const claimed = await tx.$executeRaw`
      UPDATE sign_in_challenges SET used_at = ${now}
      WHERE id = ${row.id} AND used_at IS NULL AND expires_at > ${now} AND attempts < ${CHALLENGE_MAX_ATTEMPTS}`;
    // Another request with the same challenge won meanwhile: the code stays unspent (rolled back).
    if (claimed === 0) throw challengeEnded();
    return openSession(tx, row, client, now);
  });
  if (sessionId) return { sessionId, passwordChangeRequired: row.password_change_required };

  await db.$executeRaw`UPDATE sign_in_challenges SET attempts = attempts + 1 WHERE id = ${row.id}`;
  const failure = await recordFailedAttempt(db, key, { ...attempt, reason: LOGIN_REASON.wrongMfaCode }, policy, { lockMemberToo: true }, now);
  if (failure.lockoutUntil) throw new ForbiddenError(signInErrorMessage(SIGN_IN_ERROR.accountLocked, failure.lockoutUntil.toISOString()));
  const triesLeft = CHALLENGE_MAX_ATTEMPTS - row.attempts - 1;
  if (triesLeft <= 0) throw challengeEnded();
  throw new UnauthorizedError(`${MFA_SIGN_IN_ERROR.wrongCode}:${triesLeft}`);
}

/** As the password-only sign-in does: the successful attempt in the history, the session, the member online. */
async function openSession(tx: TTransaction, row: TChallengeRow, client: TClientInfo, now: Date): Promise<string> {
  const abnormalReasons = row.abnormal_reason ? row.abnormal_reason.split(",") : [];
  await recordLoginAttempt(
    tx,
    { tenantId: row.tenant_id, userId: row.user_id, login: row.login, client, result: "success", reason: LOGIN_REASON.signedIn, abnormalReasons },
    now,
  );
  const sessionId = await createSession(tx, { tenantId: row.tenant_id, userId: row.user_id, ...client }, now, policyFromColumns(row));
  await tx.$executeRaw`
    UPDATE users SET online = true, online_at = ${now}, password_change_required = password_change_required OR ${row.password_change_required}
    WHERE id = ${row.user_id}`;
  return sessionId;
}
