import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { revokeMemberSessions } from "@/server/auth/sessions";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import { ForbiddenError, InvalidTransitionError, NotFoundError } from "@/server/errors";
import { assertAuthorityOver } from "@/server/shared/member-authority";

/**
 * An admin resets a member's two-step verification (a lost phone, no recovery
 * codes left): the secret and recovery codes go and every session of the
 * member ends, so whoever has the device cannot stay in. If the policy
 * requires MFA, the member sets it up again at their next sign-in. Needs a
 * step-up; nobody resets their own (that is "remove" on /me), and only an
 * owner resets an owner's.
 */
export async function resetMemberMfa(db: TDatabase, actor: TActor & TStepUpSession & { sysAdmin: number }, memberId: bigint): Promise<{ reset: true; sessionsEnded: number }> {
  if (actor.memberId === memberId) throw new ForbiddenError("Turn off your own two-step verification from My account");
  await assertStepUp(db, actor, "mfa.remove");
  return db.$transaction(async (tx) => {
    const member = await tx.user.findFirst({ where: { id: memberId, tenantId: actor.tenantId }, select: { id: true } });
    if (!member) throw new NotFoundError("Member not found");
    await assertAuthorityOver(tx, actor, [memberId]);
    const removed = await tx.memberMfa.deleteMany({ where: { userId: memberId } });
    await tx.mfaRecoveryCode.deleteMany({ where: { userId: memberId } });
    if (removed.count === 0) throw new InvalidTransitionError("This member has no two-step verification to reset");
    const sessionsEnded = await revokeMemberSessions(tx, memberId, "revoked");
    await recordAuditEvent(tx, actor, { action: "member.mfa_reset", targetType: "member", targetId: memberId, changes: { mfa: { before: true, after: false }, sessionsEnded: { before: sessionsEnded, after: 0 } } });
    return { reset: true as const, sessionsEnded };
  });
}
