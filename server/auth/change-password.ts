import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { checkThroughGate, gateRefusalText, type TGate } from "@/server/auth/attempt-gate";
import { LOGIN_REASON } from "@/server/auth/login-attempts";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { checkPasswordStrength } from "@/server/auth/password-policy";
import { recentPasswordHashes, rememberReplacedPassword } from "@/server/auth/password-history";
import { ZChangePassword, type TChangePasswordInput } from "@/server/auth/schemas";
import { getSecurityPolicy } from "@/server/auth/security-policy";
import { schedulePasswordExpiryReminders } from "@/server/auth/password-expiry-reminders";
import { revokeMemberSessions } from "@/server/auth/sessions";
import { directoryPasswordMessage, passwordManagedByDirectory } from "@/server/auth/directory-managed-password";
import { ForbiddenError, NotFoundError, ValidationError } from "@/server/errors";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A member changes their own password (forced after sign-in, or from
 * self-service): the current password, then the tenant's rules (length,
 * common list, own details, not one of the last N), a new expiry when the
 * policy sets one, the member's other sessions ended, one audit event. A wrong
 * current password counts towards the sign-in throttle (through the attempt gate).
 */
export async function changePassword(
  db: TDatabase,
  actor: TActor & { memberId: bigint; sessionId: string },
  rawInput: TChangePasswordInput,
  now = new Date(),
): Promise<{ passwordExpiresAt: Date | null }> {
  const input = ZChangePassword.parse(rawInput);
  const member = await db.user.findFirst({
    where: { id: actor.memberId, tenantId: actor.tenantId, deletedAt: null },
    select: { passwordHash: true, firstName: true, lastName: true, fullName: true, username: true, email: true, passwordExpiresAt: true },
  });
  if (!member) throw new NotFoundError("Member not found");
  const directory = await passwordManagedByDirectory(db, actor.tenantId, actor.memberId);
  if (directory !== null) throw new ValidationError(directoryPasswordMessage(directory), { newPassword: [directoryPasswordMessage(directory)] });
  const policy = await getSecurityPolicy(db, actor.tenantId);
  const gate: TGate = {
    // From the member's live session: the familiar bucket.
    bucket: { key: { userId: actor.memberId }, familiar: true },
    policy,
    attempt: { tenantId: actor.tenantId, userId: actor.memberId, login: member.username, client: { ipAddress: actor.ipAddress, userAgent: actor.userAgent } },
  };
  const { passwordHash: currentHash } = member;
  const check = async () => currentHash !== null && (await verifyPassword(currentHash, input.currentPassword));
  const result = await checkThroughGate(db, gate, check, LOGIN_REASON.wrongCurrentPassword, now);
  if (result.kind === "refused") {
    const message = gateRefusalText(result.refusal, now);
    throw new ForbiddenError(message, { currentPassword: [message] });
  }
  if (result.kind === "wrong" || !currentHash) {
    if (result.kind === "wrong" && result.throttledUntil) throw new ForbiddenError(gateRefusalText({ kind: "throttled", until: result.throttledUntil }, now));
    throw new ValidationError("Your current password is not right", { currentPassword: ["Not your current password"] });
  }

  const problems = await checkPasswordStrength(input.newPassword, {
    minLength: policy.passwordMinLength,
    personal: [member.firstName, member.lastName, member.fullName, member.username, member.email],
    previousHashes: [currentHash, ...(await recentPasswordHashes(db, actor.memberId, policy.passwordHistoryCount))],
  });
  if (problems.length > 0) throw new ValidationError(problems[0]!, { newPassword: problems });

  const passwordHash = await hashPassword(input.newPassword);
  const passwordExpiresAt = policy.passwordExpiryDays ? new Date(now.getTime() + policy.passwordExpiryDays * DAY_MS) : null;
  await db.$transaction(async (tx) => {
    await rememberReplacedPassword(tx, actor.memberId, member.passwordHash, policy.passwordHistoryCount);
    await tx.$executeRaw`
      UPDATE users SET password_hash = ${passwordHash}, password_changed_at = ${now}, password_expires_at = ${passwordExpiresAt},
        password_change_required = false
      WHERE id = ${actor.memberId}`;
    await schedulePasswordExpiryReminders(tx, actor.tenantId, actor.memberId, passwordExpiresAt);
    // Whoever knew the old password is signed out everywhere but here.
    await revokeMemberSessions(tx, actor.memberId, "password_changed", now, actor.sessionId);
    await recordAuditEvent(tx, actor, {
      action: "member.password_changed",
      targetType: "member",
      targetId: actor.memberId,
      changes: { passwordExpiresAt: { before: member.passwordExpiresAt, after: passwordExpiresAt } },
    });
  });
  return { passwordExpiresAt };
}
