import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { otpauthUri, qrCodeDataUrl } from "@/server/auth/mfa/authenticator-setup";
import { ZConfirmMfa, type TConfirmMfaInput } from "@/server/auth/mfa/schemas";
import { replaceRecoveryCodes } from "@/server/auth/mfa/second-factor";
import { openTotpSecret, sealTotpSecret } from "@/server/shared/secret-box";
import { assertStepUp, markSteppedUp } from "@/server/auth/step-up";
import { matchTotpStep, newTotpSecret } from "@/server/auth/mfa/totp";
import { ConflictError, InvalidTransitionError, NotFoundError, ValidationError } from "@/server/errors";

export type TMfaActor = TActor & { memberId: bigint; sessionId: string };

export const MFA_ALREADY_ON = "Two-step verification is already on. Remove it first to set up another authenticator.";

/**
 * Enrolment, step 1 (after a step-up): a new secret, pending until the first
 * code confirms it; a pending one from an earlier attempt is replaced. The
 * secret is stored encrypted and returned once, with its otpauth:// URI and
 * QR code, for the authenticator app.
 */
export async function startMfaEnrolment(db: TDatabase, actor: TMfaActor, now = new Date()) {
  await assertStepUp(db, actor, "mfa.enrol", now);
  const member = await db.user.findFirst({
    where: { id: actor.memberId, tenantId: actor.tenantId },
    select: { username: true, tenant: { select: { name: true } } },
  });
  if (!member) throw new NotFoundError("Member not found");
  const secret = newTotpSecret();
  const written = await db.$executeRaw`
    INSERT INTO member_mfa (user_id, secret_encrypted, created_at) VALUES (${actor.memberId}, ${sealTotpSecret(secret, actor.memberId)}, ${now})
    ON CONFLICT (user_id) DO UPDATE SET secret_encrypted = EXCLUDED.secret_encrypted, last_used_step = NULL, created_at = EXCLUDED.created_at
    WHERE member_mfa.enabled_at IS NULL`;
  if (written === 0) throw new ConflictError(MFA_ALREADY_ON);
  // A colon would end the issuer part of the URI's label.
  const uri = otpauthUri({ issuer: member.tenant.name.replaceAll(":", " "), account: member.username, secret });
  return { secret, otpauthUri: uri, qrCode: await qrCodeDataUrl(uri) };
}

/**
 * Enrolment, step 2: the first code from the app proves it holds the secret.
 * MFA is then on, the code's step is spent, ten recovery codes replace any
 * earlier ones (returned once), and the session counts as stepped up.
 */
export async function confirmMfaEnrolment(db: TDatabase, actor: TMfaActor, rawInput: TConfirmMfaInput, now = new Date()) {
  const { code } = ZConfirmMfa.parse(rawInput);
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ secret_encrypted: string; enabled_at: Date | null }[]>`
      SELECT secret_encrypted, enabled_at FROM member_mfa WHERE user_id = ${actor.memberId} FOR UPDATE`;
    if (!row) throw new InvalidTransitionError("Start the set-up again: no authenticator is waiting for a code");
    if (row.enabled_at) throw new ConflictError(MFA_ALREADY_ON);
    const step = matchTotpStep(openTotpSecret(row.secret_encrypted, actor.memberId), code, now, null);
    if (step === null) {
      const message = "That code is not right: enter the 6 digits the app shows now";
      throw new ValidationError(message, { code: [message] });
    }
    await tx.memberMfa.update({ where: { userId: actor.memberId }, data: { enabledAt: now, lastUsedStep: step } });
    const recoveryCodes = await replaceRecoveryCodes(tx, actor.memberId);
    await markSteppedUp(tx, actor.sessionId, now);
    await recordAuditEvent(tx, actor, { action: "member.mfa_enabled", targetType: "member", targetId: actor.memberId, changes: { mfa: { before: false, after: true } } });
    return { recoveryCodes };
  });
}
