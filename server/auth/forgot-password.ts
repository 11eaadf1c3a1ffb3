import { createHash, randomBytes } from "node:crypto";
import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { findSignInAccount } from "@/server/auth/find-sign-in-account";
import { PASSWORD_RESET_LIFETIME_MINUTES, PASSWORD_RESET_REQUESTED, ZForgotPassword, type TForgotPasswordInput } from "@/server/auth/forgot-password-schemas";
import type { TClientInfo } from "@/server/auth/sessions";
import { appUrl, sendMail } from "@/server/mail/send-mail";

// A reset link carries 32 random bytes; only their SHA-256 is stored, so a
// copy of the database opens no account (256 bits need no slow hash).

/** Members who may get a link: those who can sign in now or later (an admin's lock is not lifted by it). */
export const RESETTABLE_STATES = ["pending", "active", "locked"] as const;
/** A second request within this time sends no second mail (no mail-bombing through the form). */
const RESEND_AFTER_MS = 60 * 1000;

export const passwordResetTokenHash = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

const formatTime = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/**
 * "Forgot password": always the same answer, and the same work either way
 * (the account lookup, a token made and hashed), so neither the answer nor
 * its timing tells whether the account exists. For a member who may reset,
 * in one transaction: earlier links stop working, the new one is stored
 * (30 minutes, single use) and mailed through the outbox, and the request is
 * in the audit trail.
 */
export async function requestPasswordReset(
  db: TDatabase,
  rawInput: TForgotPasswordInput,
  client: TClientInfo,
  now = new Date(),
): Promise<{ message: string }> {
  const input = ZForgotPassword.parse(rawInput);
  const found = await findSignInAccount(db, input.organisation, input.login);
  const token = randomBytes(32).toString("base64url");
  const hash = passwordResetTokenHash(token);
  const member = found?.member;
  if (!found || !member || !(RESETTABLE_STATES as readonly string[]).includes(member.state)) return { message: PASSWORD_RESET_REQUESTED };

  const expiresAt = new Date(now.getTime() + PASSWORD_RESET_LIFETIME_MINUTES * 60 * 1000);
  await db.$transaction(async (tx) => {
    // One request at a time per member, so the resend pause below holds under parallel requests.
    await tx.$executeRaw`SELECT 1 FROM users WHERE id = ${member.id} FOR UPDATE`;
    const recent = await tx.passwordResetToken.count({ where: { userId: member.id, createdAt: { gt: new Date(now.getTime() - RESEND_AFTER_MS) } } });
    if (recent > 0) return;
    await tx.passwordResetToken.updateMany({ where: { userId: member.id, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
    await tx.passwordResetToken.create({ data: { tenantId: found.tenantId, userId: member.id, tokenHash: hash, expiresAt, createdAt: now } });
    await sendMail(tx, {
      tenantId: found.tenantId,
      memberId: member.id,
      kind: "password_reset",
      to: member.email,
      subject: "Choose a new password",
      text:
        `Hello ${member.fullName},\n\n` +
        `Someone (we hope you) asked to reset the password of your account "${member.username}" in the organisation "${input.organisation}". Choose a new one here:\n\n` +
        `${appUrl(`/reset-password/${token}`)}\n\n` +
        `The link works once and expires at ${formatTime(expiresAt)}. Choosing a new password signs you out everywhere.\n\n` +
        `If you did not ask for this, ignore this mail: your password stays as it is.\n`,
    });
    await recordAuditEvent(tx, { tenantId: found.tenantId, memberId: null, ...client }, {
      action: "member.password_reset_requested",
      targetType: "member",
      targetId: member.id,
      changes: { resetLinkExpiresAt: { before: null, after: expiresAt } },
    });
  });
  return { message: PASSWORD_RESET_REQUESTED };
}
