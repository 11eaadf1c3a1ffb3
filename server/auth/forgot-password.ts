import { createHash, randomBytes } from "node:crypto";
import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { findSignInAccount } from "@/server/auth/find-sign-in-account";
import { PASSWORD_RESET_LIFETIME_MINUTES, PASSWORD_RESET_REQUESTED, ZForgotPassword, type TForgotPasswordInput } from "@/server/auth/forgot-password-schemas";
import type { TClientInfo } from "@/server/shared/actor";
import { appUrl, sendMail } from "@/server/mail/send-mail";
import { SECRET_LINK_PLACEHOLDER } from "@/server/mail/secret-link";
import { enqueue } from "@/server/queue/enqueue";
import { directoryPasswordMessage, passwordManagedByDirectory } from "@/server/auth/directory-managed-password";

// A reset link carries 32 random bytes; only their SHA-256 is stored, so a
// copy of the database opens no account (256 bits need no slow hash).

/** Members who may get a link: those who can sign in now or later (an admin's lock is not lifted by it). */
export const RESETTABLE_STATES = ["pending", "active", "locked"] as const;
/** A second request within this time sends no second mail (no mail-bombing through the form). */
const RESEND_AFTER_MS = 60 * 1000;

export const passwordResetTokenHash = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

const DIRECTORY_PASSWORD_MAIL = "password_managed_by_directory";

const formatTime = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** One job per organisation and login at a time: a burst of requests for one account makes one job (and one mail). */
const requestJobKey = (input: { organisation: string; login: string }) =>
  `password-reset-request:${createHash("sha256").update(`${input.organisation.toLowerCase()}\n${input.login.toLowerCase()}`, "utf8").digest("hex")}`;

/**
 * "Forgot password", the request: always the same answer after the same
 * work, whether or not the account exists. The request only queues the
 * auth__password_reset_request job (one statement, no account lookup), so
 * neither the answer nor its timing tells an attacker anything; the job looks
 * the account up and mails the link (sendPasswordResetLink).
 */
export async function requestPasswordReset(db: TDatabase, rawInput: TForgotPasswordInput, client: TClientInfo): Promise<{ message: string }> {
  const input = ZForgotPassword.parse(rawInput);
  await db.$transaction(async (tx) => {
    await enqueue(
      tx,
      "auth__password_reset_request",
      { organisation: input.organisation, login: input.login, ipAddress: client.ipAddress?.slice(0, 45) ?? null, userAgent: client.userAgent?.slice(0, 512) ?? null },
      { jobKey: requestJobKey(input), maxAttempts: 3 },
    );
  });
  return { message: PASSWORD_RESET_REQUESTED };
}

/**
 * A member who signs in with their directory's password gets no link (a
 * password set here would not be the one that signs them in): the mail says
 * where to reset it. The form's answer stays the same as for everyone else.
 */
async function tellPasswordIsTheDirectorys(
  db: TDatabase,
  tenantId: bigint,
  member: { id: bigint; email: string; fullName: string; username: string },
  organisation: string,
  now: Date,
): Promise<"directory" | "none"> {
  const directory = await passwordManagedByDirectory(db, tenantId, member.id);
  if (directory === null) return "none";
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM users WHERE id = ${member.id} FOR UPDATE`;
    const recent = await tx.outboxMail.count({ where: { userId: member.id, kind: DIRECTORY_PASSWORD_MAIL, createdAt: { gt: new Date(now.getTime() - RESEND_AFTER_MS) } } });
    if (recent > 0) return "none" as const;
    await sendMail(tx, {
      tenantId,
      memberId: member.id,
      kind: DIRECTORY_PASSWORD_MAIL,
      to: member.email,
      subject: "Your password is managed by your organisation's directory",
      text:
        `Hello ${member.fullName},\n\n` +
        `Someone (we hope you) asked to reset the password of your account "${member.username}" in the organisation "${organisation}".\n\n` +
        `${directoryPasswordMessage(directory)} Tenure checks your password with the directory each time you sign in, so it has none of its own to reset.\n\n` +
        `If you did not ask for this, ignore this mail.\n`,
    });
    return "directory" as const;
  });
}

/**
 * The auth__password_reset_request job: for a member who may reset, in one
 * transaction, earlier links stop working, the new one is stored (30
 * minutes, single use) and mailed through the outbox (the link sealed, never
 * in the stored body), and the request is in the audit trail. Nothing for an
 * unknown account, organisation or a member who cannot sign in.
 */
export async function sendPasswordResetLink(
  db: TDatabase,
  rawInput: TForgotPasswordInput,
  client: TClientInfo,
  now = new Date(),
): Promise<"sent" | "directory" | "none"> {
  const input = ZForgotPassword.parse(rawInput);
  const found = await findSignInAccount(db, input.organisation, input.login);
  const member = found?.member;
  if (!found || !member || !(RESETTABLE_STATES as readonly string[]).includes(member.state)) return "none";
  if (member.bindDirectoryId !== null) return tellPasswordIsTheDirectorys(db, found.tenantId, member, input.organisation, now);
  const token = randomBytes(32).toString("base64url");
  const hash = passwordResetTokenHash(token);

  const expiresAt = new Date(now.getTime() + PASSWORD_RESET_LIFETIME_MINUTES * 60 * 1000);
  return db.$transaction(async (tx) => {
    // One request at a time per member, so the resend pause below holds under parallel requests.
    await tx.$executeRaw`SELECT 1 FROM users WHERE id = ${member.id} FOR UPDATE`;
    const recent = await tx.passwordResetToken.count({ where: { userId: member.id, createdAt: { gt: new Date(now.getTime() - RESEND_AFTER_MS) } } });
    if (recent > 0) return "none" as const;
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
        `${SECRET_LINK_PLACEHOLDER}\n\n` +
        `The link works once and expires at ${formatTime(expiresAt)}. Choosing a new password signs you out everywhere.\n\n` +
        `If you did not ask for this, ignore this mail: your password stays as it is.\n`,
      secretLink: appUrl(`/reset-password/${token}`),
    });
    await recordAuditEvent(tx, { tenantId: found.tenantId, memberId: null, ...client }, {
      action: "member.password_reset_requested",
      targetType: "member",
      targetId: member.id,
      changes: { resetLinkExpiresAt: { before: null, after: expiresAt } },
    });
    return "sent" as const;
  });
}
