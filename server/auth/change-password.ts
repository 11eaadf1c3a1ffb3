import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent, type TActor } from "@/server/audit/record-audit-event";
import { LOGIN_REASON } from "@/server/auth/login-attempts";
import { recordFailedAttempt } from "@/server/auth/lockout";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { checkPasswordStrength } from "@/server/auth/password-policy";
import { recentPasswordHashes, rememberReplacedPassword } from "@/server/auth/password-history";
import { accountLimitedUntil, minutesUntil } from "@/server/auth/rate-limits";
import { ZChangePassword, type TChangePasswordInput } from "@/server/auth/schemas";
import { getSecurityPolicy } from "@/server/auth/security-policy";
import { schedulePasswordExpiryReminders } from "@/server/lifecycle/password-expiry-reminders";
import { revokeMemberSessions } from "@/server/auth/sessions";
import { ForbiddenError, NotFoundError, ValidationError } from "@/server/errors";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A member changes their own password (forced after sign-in, or from
 * self-service): the current password, then the tenant's rules (length,
 * common list, own details, not one of the last N), a new expiry when the
 * policy sets one, the member's other sessions ended, one audit event. A wrong
 * current password counts towards the lockout like a failed sign-in.
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
  const policy = await getSecurityPolicy(db, actor.tenantId);
  const key = { userId: actor.memberId };
  const client = { ipAddress: actor.ipAddress, userAgent: actor.userAgent };

  const limitedUntil = await accountLimitedUntil(db, key, now);
  if (limitedUntil) {
    const message = `Too many attempts: try again in ${minutesUntil(limitedUntil, now)} minute(s)`;
    throw new ForbiddenError(message, { currentPassword: [message] });
  }
  if (!member.passwordHash || !(await verifyPassword(member.passwordHash, input.currentPassword))) {
    const attempt = { tenantId: actor.tenantId, userId: actor.memberId, login: member.username, client, reason: LOGIN_REASON.wrongCurrentPassword };
    const { lockoutUntil } = await recordFailedAttempt(db, key, attempt, policy, { lockMemberToo: true }, now);
    if (lockoutUntil) throw new ForbiddenError(`Too many wrong passwords: the account is locked until ${lockoutUntil.toISOString()}`);
    throw new ValidationError("Your current password is not right", { currentPassword: ["Not your current password"] });
  }

  const problems = await checkPasswordStrength(input.newPassword, {
    minLength: policy.passwordMinLength,
    personal: [member.firstName, member.lastName, member.fullName, member.username, member.email],
    previousHashes: [member.passwordHash, ...(await recentPasswordHashes(db, actor.memberId, policy.passwordHistoryCount))],
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
