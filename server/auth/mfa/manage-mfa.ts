import type { TDatabase, TDatabaseOrTransaction } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import type { TMfaActor } from "@/server/auth/mfa/enrol-mfa";
import { mfaRequiredFor } from "@/server/auth/mfa/mfa-requirement";
import { replaceRecoveryCodes } from "@/server/auth/mfa/second-factor";
import { assertStepUp } from "@/server/auth/step-up";
import { getSecurityPolicy } from "@/server/auth/security-policy";
import { ForbiddenError, InvalidTransitionError, NotFoundError } from "@/server/errors";

/** What the member's security page shows about their second factor. */
export async function getMfaStatus(db: TDatabaseOrTransaction, tenantId: bigint, memberId: bigint) {
  const member = await db.user.findFirst({ where: { id: memberId, tenantId }, select: { sysAdmin: true } });
  if (!member) throw new NotFoundError("Member not found");
  const [mfa, recoveryCodesLeft, policy] = await Promise.all([
    db.memberMfa.findUnique({ where: { userId: memberId }, select: { enabledAt: true } }),
    db.mfaRecoveryCode.count({ where: { userId: memberId, usedAt: null } }),
    getSecurityPolicy(db, tenantId),
  ]);
  return {
    enabled: Boolean(mfa?.enabledAt),
    enabledAt: mfa?.enabledAt ?? null,
    recoveryCodesLeft: mfa?.enabledAt ? recoveryCodesLeft : 0,
    required: mfaRequiredFor(policy.mfaRequirement, member.sysAdmin),
  };
}

/**
 * The member turns MFA off (after a step-up): the secret and recovery codes
 * go. Refused when the tenant's policy requires MFA of this member.
 */
export async function removeMfa(db: TDatabase, actor: TMfaActor, now = new Date()): Promise<{ removed: true }> {
  await assertStepUp(db, actor, "mfa.remove", now);
  return db.$transaction(async (tx) => {
    const status = await getMfaStatus(tx, actor.tenantId, actor.memberId);
    if (status.enabled && status.required) {
      throw new ForbiddenError("Your organisation requires two-step verification for your account, so it cannot be turned off");
    }
    const removed = await tx.memberMfa.deleteMany({ where: { userId: actor.memberId } });
    await tx.mfaRecoveryCode.deleteMany({ where: { userId: actor.memberId } });
    if (removed.count === 0) throw new InvalidTransitionError("Two-step verification is not on");
    if (status.enabled) {
      await recordAuditEvent(tx, actor, { action: "member.mfa_removed", targetType: "member", targetId: actor.memberId, changes: { mfa: { before: true, after: false } } });
    }
    return { removed: true as const };
  });
}

/** New recovery codes (after a step-up): every earlier one stops working; the new ones are shown once. */
export async function regenerateRecoveryCodes(db: TDatabase, actor: TMfaActor, now = new Date()): Promise<{ recoveryCodes: string[] }> {
  await assertStepUp(db, actor, "mfa.recovery_codes", now);
  return db.$transaction(async (tx) => {
    const mfa = await tx.memberMfa.findUnique({ where: { userId: actor.memberId }, select: { enabledAt: true } });
    if (!mfa?.enabledAt) throw new InvalidTransitionError("Turn on two-step verification first");
    const recoveryCodes = await replaceRecoveryCodes(tx, actor.memberId);
    await recordAuditEvent(tx, actor, {
      action: "member.mfa_recovery_codes_regenerated",
      targetType: "member",
      targetId: actor.memberId,
      changes: { recoveryCodes: { before: "replaced", after: recoveryCodes.length } },
    });
    return { recoveryCodes };
  });
}
