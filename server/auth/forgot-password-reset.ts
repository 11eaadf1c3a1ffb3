import type { TDatabase, TDatabaseOrTransaction } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { passwordResetTokenHash, RESETTABLE_STATES } from "@/server/auth/forgot-password";
import { PASSWORD_RESET_LINK_INVALID, ZResetPassword, type TResetPasswordInput } from "@/server/auth/forgot-password-schemas";
import { hashPassword } from "@/server/auth/password";
import { recentPasswordHashes, rememberReplacedPassword } from "@/server/auth/password-history";
import { checkPasswordStrength } from "@/server/auth/password-policy";
import { getSecurityPolicy } from "@/server/auth/security-policy";
import { revokeMemberSessions } from "@/server/auth/sessions";
import { type TClientInfo } from "@/server/shared/actor";
import { NotFoundError, ValidationError } from "@/server/errors";
import { schedulePasswordExpiryReminders } from "@/server/auth/password-expiry-reminders";
import { revokeApplicationAccess } from "@/server/application-sessions/revoke-application-access";

const DAY_MS = 24 * 60 * 60 * 1000;

type TOpenReset = {
  id: bigint;
  tenantId: bigint;
  memberId: bigint;
  organisation: string;
  organisationSlug: string;
  username: string;
  personal: string[];
  passwordHash: string | null;
};

/** The reset a link's token opens, if it may still be used (unused, unexpired, its member still may reset); else null. */
export async function findOpenPasswordReset(db: TDatabaseOrTransaction, token: string, now = new Date()): Promise<TOpenReset | null> {
  const [row] = await db.$queryRaw<
    { id: bigint; tenant_id: bigint; user_id: bigint; organisation: string; organisation_slug: string; username: string; first_name: string; last_name: string; full_name: string; email: string; password_hash: string | null }[]
  >`
    SELECT r.id, r.tenant_id, r.user_id, t.name AS organisation, t.slug AS organisation_slug,
      u.username::text, u.first_name, u.last_name, u.full_name, u.email::text, u.password_hash
    FROM password_reset_tokens r JOIN users u ON u.id = r.user_id JOIN tenants t ON t.id = r.tenant_id
    WHERE r.token_hash = ${passwordResetTokenHash(token)} AND r.used_at IS NULL AND r.expires_at > ${now}
      AND u.deleted_at IS NULL AND u.state = ANY(${[...RESETTABLE_STATES]}::text[])
      -- A link mailed before the member's directory took over their password no longer opens anything.
      AND NOT EXISTS (SELECT 1 FROM directories d WHERE d.id = u.user_directory_id AND d.sign_in_by_bind)`;
  if (!row) return null;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    memberId: row.user_id,
    organisation: row.organisation,
    organisationSlug: row.organisation_slug,
    username: row.username,
    personal: [row.first_name, row.last_name, row.full_name, row.username, row.email],
    passwordHash: row.password_hash,
  };
}

/**
 * The reset page sets the new password: the tenant's rules (and its history:
 * not one of the last N), then in one transaction the link is claimed (two
 * submissions cannot both win), the password replaced, every session of the
 * member ended (whoever knew the old password is out), one audit event.
 */
export async function resetPassword(db: TDatabase, client: TClientInfo, rawInput: TResetPasswordInput, now = new Date()) {
  const input = ZResetPassword.parse(rawInput);
  const reset = await findOpenPasswordReset(db, input.token, now);
  if (!reset) throw new NotFoundError(PASSWORD_RESET_LINK_INVALID);
  const policy = await getSecurityPolicy(db, reset.tenantId);
  const earlier = await recentPasswordHashes(db, reset.memberId, policy.passwordHistoryCount);
  const problems = await checkPasswordStrength(input.newPassword, {
    minLength: policy.passwordMinLength,
    personal: reset.personal,
    previousHashes: reset.passwordHash ? [reset.passwordHash, ...earlier] : earlier,
  });
  if (problems.length > 0) throw new ValidationError(problems[0]!, { newPassword: problems });
  // Hashed before the transaction: argon2id takes a while and needs no lock.
  const passwordHash = await hashPassword(input.newPassword);
  const passwordExpiresAt = policy.passwordExpiryDays ? new Date(now.getTime() + policy.passwordExpiryDays * DAY_MS) : null;

  const sessionsEnded = await db.$transaction(async (tx) => {
    const claimed = await tx.$executeRaw`
      UPDATE password_reset_tokens SET used_at = ${now} WHERE id = ${reset.id} AND used_at IS NULL AND expires_at > ${now}`;
    if (claimed === 0) throw new NotFoundError(PASSWORD_RESET_LINK_INVALID);
    await rememberReplacedPassword(tx, reset.memberId, reset.passwordHash, policy.passwordHistoryCount);
    const updated = await tx.$executeRaw`
      UPDATE users SET password_hash = ${passwordHash}, password_changed_at = ${now}, password_expires_at = ${passwordExpiresAt},
        password_change_required = false
      WHERE id = ${reset.memberId} AND deleted_at IS NULL AND state = ANY(${[...RESETTABLE_STATES]}::text[])`;
    if (updated === 0) throw new NotFoundError(PASSWORD_RESET_LINK_INVALID);
    await schedulePasswordExpiryReminders(tx, reset.tenantId, reset.memberId, passwordExpiresAt);
    await tx.passwordResetToken.updateMany({ where: { userId: reset.memberId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
    const ended = await revokeMemberSessions(tx, reset.memberId, "password_changed", now);
    // The applications too: a session or refresh token opened with the old password is as suspect as Tenure's own.
    await revokeApplicationAccess(tx, { tenantId: reset.tenantId, userIds: [reset.memberId], applicationIds: "all", cause: "password_reset" });
    await tx.$executeRaw`UPDATE users SET online = false, offline_at = ${now} WHERE id = ${reset.memberId} AND online`;
    await recordAuditEvent(tx, { tenantId: reset.tenantId, memberId: reset.memberId, ...client }, {
      action: "member.password_reset",
      targetType: "member",
      targetId: reset.memberId,
      changes: { passwordExpiresAt: { before: null, after: passwordExpiresAt }, sessions: { before: ended, after: 0 } },
    });
    return ended;
  });
  return { organisation: reset.organisationSlug, username: reset.username, sessionsEnded };
}
