import type { TDatabase, TDatabaseOrTransaction } from "@/server/db/client";
import type { TActor } from "@/server/audit/record-audit-event";
import { consumeSecondFactor } from "@/server/auth/mfa/second-factor";
import { ZStepUp, type TStepUpInput } from "@/server/auth/mfa/schemas";
import { LOGIN_REASON } from "@/server/auth/login-attempts";
import { recordFailedAttempt } from "@/server/auth/lockout";
import { verifyPassword } from "@/server/auth/password";
import { accountLimitedUntil, minutesUntil } from "@/server/auth/rate-limits";
import { getSecurityPolicy } from "@/server/auth/security-policy";
import { ForbiddenError, NotFoundError, ValidationError } from "@/server/errors";
import type { TSensitiveOperation } from "@/server/auth/sensitive-operations";

// Which operations exist and which procedures trigger them: server/auth/sensitive-operations.ts.
export type { TSensitiveOperation } from "@/server/auth/sensitive-operations";

/** How recent the proof must be (signing in counts as one). */
export const STEP_UP_WINDOW_MS = 5 * 60 * 1000;

/** The message the console's forms recognise (with data.stepUpRequired, server/trpc/init.ts) to ask "Confirm it's you". */
export const STEP_UP_REQUIRED_MESSAGE = "Confirm it's you: enter your password or an authentication code, then try again";

export class StepUpRequiredError extends ForbiddenError {
  constructor(readonly operation: TSensitiveOperation) {
    super(STEP_UP_REQUIRED_MESSAGE);
  }
}

/**
 * What a sensitive service needs to know about its caller's session. Every
 * procedure passes its session id (server/trpc/init.ts puts it in ctx.actor);
 * callers without one act for no browser (the system's jobs and scripts, an
 * actor with no member) and have nothing to prove.
 */
export type TStepUpSession = { sessionId?: string | null; memberId: bigint | null };

/**
 * Every sensitive operation calls this before it changes anything: the
 * session must have proved the password or a second factor within the last
 * five minutes (signing in, or "Confirm it's you"), else StepUpRequiredError.
 * The check is the procedure's own, whatever the UI did.
 */
export async function assertStepUp(
  db: TDatabaseOrTransaction,
  session: TStepUpSession,
  operation: TSensitiveOperation,
  now = new Date(),
): Promise<void> {
  if (!session.sessionId || session.memberId === null) return;
  const row = await db.session.findFirst({ where: { id: session.sessionId, userId: session.memberId }, select: { steppedUpAt: true } });
  const provedAt = row?.steppedUpAt?.getTime();
  if (provedAt === undefined || now.getTime() - provedAt > STEP_UP_WINDOW_MS) throw new StepUpRequiredError(operation);
}

/** The session just proved a factor (a code at enrolment, a step-up). */
export async function markSteppedUp(db: TDatabaseOrTransaction, sessionId: string, now = new Date()): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { steppedUpAt: now } });
}

/**
 * "Confirm it's you": the member re-enters their password, or a code from
 * their authenticator (or a recovery code), and the session counts as
 * stepped up for five minutes. Wrong answers count towards the lockout like
 * failed sign-ins; the per-account rate limit applies first.
 */
export async function stepUp(
  db: TDatabase,
  actor: TActor & { memberId: bigint; sessionId: string },
  rawInput: TStepUpInput,
  now = new Date(),
): Promise<{ steppedUpUntil: Date }> {
  const input = ZStepUp.parse(rawInput);
  const member = await db.user.findFirst({ where: { id: actor.memberId, tenantId: actor.tenantId }, select: { username: true, passwordHash: true } });
  if (!member) throw new NotFoundError("Member not found");
  const key = { userId: actor.memberId };
  const limitedUntil = await accountLimitedUntil(db, key, now);
  if (limitedUntil) {
    const message = `Too many attempts: try again in ${minutesUntil(limitedUntil, now)} minute(s)`;
    throw new ForbiddenError(message, { secret: [message] });
  }

  const { passwordHash } = member;
  const proved =
    input.method === "password"
      ? passwordHash !== null && (await verifyPassword(passwordHash, input.secret))
      : (await db.$transaction((tx) => consumeSecondFactor(tx, actor.memberId, input.secret, now))) !== null;
  if (!proved) {
    const policy = await getSecurityPolicy(db, actor.tenantId);
    const client = { ipAddress: actor.ipAddress, userAgent: actor.userAgent };
    const reason = input.method === "password" ? LOGIN_REASON.wrongPassword : LOGIN_REASON.wrongMfaCode;
    const attempt = { tenantId: actor.tenantId, userId: actor.memberId, login: member.username, client, reason };
    const { lockoutUntil } = await recordFailedAttempt(db, key, attempt, policy, { lockMemberToo: true }, now);
    if (lockoutUntil) throw new ForbiddenError(`Too many wrong attempts: the account is locked until ${lockoutUntil.toISOString()}`);
    const message = input.method === "password" ? "That is not your password" : "That code is not right (or was already used)";
    throw new ValidationError(message, { secret: [message] });
  }
  await markSteppedUp(db, actor.sessionId, now);
  return { steppedUpUntil: new Date(now.getTime() + STEP_UP_WINDOW_MS) };
}
