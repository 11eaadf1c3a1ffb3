import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import type { TDatabase, TDatabaseOrTransaction } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { activeLockoutUntil } from "@/server/auth/lockout";
import { accountLockKey, LOGIN_REASON, recordLoginAttempt } from "@/server/auth/login-attempts";
import { ownerAuthorityRefusal } from "@/server/shared/member-authority";
import { getSecurityPolicy } from "@/server/auth/security-policy";
import { ForbiddenError, NotFoundError } from "@/server/errors";

// A member's sign-in throttle, as the member page and the member's own
// security page show it. It is not a lock: the member's sessions go on, and
// only attempts in the throttled bucket are refused (server/auth/lockout.ts).

export type TSignInThrottle = { unfamiliarUntil: Date | null; familiarUntil: Date | null };

export async function readSignInThrottle(db: TDatabaseOrTransaction, tenantId: bigint, memberId: bigint, now = new Date()): Promise<TSignInThrottle> {
  const member = await db.user.findFirst({ where: { id: memberId, tenantId }, select: { id: true } });
  if (!member) throw new NotFoundError("Member not found");
  const policy = await getSecurityPolicy(db, tenantId);
  const key = { userId: memberId };
  // One after the other: inside a transaction both would share one connection.
  const unfamiliarUntil = await activeLockoutUntil(db, { key, familiar: false }, policy, now);
  const familiarUntil = await activeLockoutUntil(db, { key, familiar: true }, policy, now);
  return { unfamiliarUntil, familiarUntil };
}

/**
 * An admin clears a member's sign-in throttle (both buckets): a 'cleared' row
 * in the login history, after which earlier failures count no more, and an
 * audit event. Only an owner clears an owner's, and only after a recent
 * step-up: an admin session clearing it again and again would let anyone
 * guess the member's password at full speed.
 */
export async function clearSignInThrottle(
  db: TDatabase,
  actor: TActor & TStepUpSession & { sysAdmin: number },
  input: { memberId: bigint },
  now = new Date(),
): Promise<{ cleared: boolean }> {
  await assertStepUp(db, actor, "member.throttle_clear", now);
  return db.$transaction(async (tx) => {
    const member = await tx.user.findFirst({ where: { id: input.memberId, tenantId: actor.tenantId, deletedAt: null }, select: { username: true, sysAdmin: true } });
    if (!member) throw new NotFoundError("Member not found");
    const refusal = ownerAuthorityRefusal(actor, member);
    if (refusal) throw new ForbiddenError(refusal);
    // The gate's lock: no attempt is counted halfway across the clear.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${accountLockKey({ userId: input.memberId })}, 0))`;
    const before = await readSignInThrottle(tx, actor.tenantId, input.memberId, now);
    if (!before.unfamiliarUntil && !before.familiarUntil) return { cleared: false };
    await recordLoginAttempt(
      tx,
      { tenantId: actor.tenantId, userId: input.memberId, login: member.username, client: actor, result: "cleared", reason: LOGIN_REASON.throttleCleared },
      now,
    );
    await recordAuditEvent(tx, actor, {
      action: "member.sign_in_throttle_cleared",
      targetType: "member",
      targetId: input.memberId,
      changes: {
        unfamiliarThrottledUntil: { before: before.unfamiliarUntil, after: null },
        familiarThrottledUntil: { before: before.familiarUntil, after: null },
      },
    });
    return { cleared: true };
  });
}
