import type { TDatabase, TDatabaseOrTransaction } from "@/server/db/client";
import type { TActor } from "@/server/shared/actor";
import { consumeSecondFactor } from "@/server/auth/mfa/second-factor";
import { ZStepUp, type TStepUpInput } from "@/server/auth/mfa/schemas";
import { checkThroughGate, gateRefusalText, type TGate } from "@/server/auth/attempt-gate";
import { LOGIN_REASON } from "@/server/auth/login-attempts";
import { verifyPassword } from "@/server/auth/password";
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
 * The member's own password check when it is not (only) our hash: sign-in by
 * LDAP bind checks it against the directory (server/sign-in/own-password.ts,
 * passed in by the callers, since auth sits below the directories). It throws
 * when the check cannot be made, which is never a yes.
 */
export type TOwnPasswordCheck = (password: string) => Promise<boolean>;

/**
 * "Confirm it's you": the member re-enters their password, or a code from
 * their authenticator (or a recovery code), and the session counts as
 * stepped up for five minutes. Every check passes the attempt gate
 * (server/auth/attempt-gate.ts), so a burst gets no more checks than the
 * account's limits allow; wrong answers count towards the sign-in throttle,
 * in the familiar bucket (the request comes from the member's live session).
 */
export async function stepUp(
  db: TDatabase,
  actor: TActor & { memberId: bigint; sessionId: string },
  rawInput: TStepUpInput,
  now = new Date(),
  ownPassword: TOwnPasswordCheck | null = null,
): Promise<{ steppedUpUntil: Date }> {
  const input = ZStepUp.parse(rawInput);
  const member = await db.user.findFirst({ where: { id: actor.memberId, tenantId: actor.tenantId }, select: { username: true, passwordHash: true } });
  if (!member) throw new NotFoundError("Member not found");
  const gate: TGate = {
    bucket: { key: { userId: actor.memberId }, familiar: true },
    policy: await getSecurityPolicy(db, actor.tenantId),
    attempt: { tenantId: actor.tenantId, userId: actor.memberId, login: member.username, client: { ipAddress: actor.ipAddress, userAgent: actor.userAgent } },
  };
  const { passwordHash } = member;
  const check = async () =>
    input.method === "password"
      ? ownPassword
        ? await ownPassword(input.secret)
        : passwordHash !== null && (await verifyPassword(passwordHash, input.secret))
      : (await db.$transaction((tx) => consumeSecondFactor(tx, actor.memberId, input.secret, now))) !== null;
  const reason = input.method === "password" ? LOGIN_REASON.wrongPassword : LOGIN_REASON.wrongMfaCode;
  const result = await checkThroughGate(db, gate, check, reason, now);
  if (result.kind === "refused") {
    const message = gateRefusalText(result.refusal, now);
    throw new ForbiddenError(message, { secret: [message] });
  }
  if (result.kind === "wrong") {
    if (result.throttledUntil) throw new ForbiddenError(gateRefusalText({ kind: "throttled", until: result.throttledUntil }, now));
    const message = input.method === "password" ? "That is not your password" : "That code is not right (or was already used)";
    throw new ValidationError(message, { secret: [message] });
  }
  await markSteppedUp(db, actor.sessionId, now);
  return { steppedUpUntil: new Date(now.getTime() + STEP_UP_WINDOW_MS) };
}
