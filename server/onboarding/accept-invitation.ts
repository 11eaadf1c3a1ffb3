import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { hashPassword } from "@/server/auth/password";
import { checkPasswordStrength } from "@/server/auth/password-policy";
import { getSecurityPolicy } from "@/server/auth/security-policy";
import { schedulePasswordExpiryReminders } from "@/server/auth/password-expiry-reminders";
import type { TClientInfo } from "@/server/shared/actor";
import { NotFoundError, ValidationError } from "@/server/errors";
import { findOpenInvitation } from "@/server/onboarding/find-invitation";
import { expireOpenInvitations, INVITABLE_STATES } from "@/server/onboarding/invitations";
import { ZAcceptInvitation, type TAcceptInvitationInput } from "@/server/onboarding/schemas";

export const INVITATION_NO_LONGER_VALID = "This invitation link is no longer valid";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The invited member chooses their first password (public: the link is the
 * credential). The tenant's password rules apply; then, in one transaction,
 * the invitation is claimed (still unused and unexpired: two submissions
 * cannot both win), the password set, the member's other open invitations
 * ended, one audit event. Any unusable link gets the same answer.
 */
export async function acceptInvitation(db: TDatabase, client: TClientInfo, rawInput: TAcceptInvitationInput, now = new Date()) {
  const input = ZAcceptInvitation.parse(rawInput);
  const invitation = await findOpenInvitation(db, input.token);
  if (!invitation) throw new NotFoundError(INVITATION_NO_LONGER_VALID);

  const policy = await getSecurityPolicy(db, invitation.tenantId);
  const problems = await checkPasswordStrength(input.newPassword, {
    minLength: policy.passwordMinLength,
    personal: [invitation.firstName, invitation.lastName, invitation.fullName, invitation.username, invitation.email],
  });
  if (problems.length > 0) throw new ValidationError(problems[0]!, { newPassword: problems });
  // Hashed before the transaction: argon2id takes a while and needs no lock.
  const passwordHash = await hashPassword(input.newPassword);
  const passwordExpiresAt = policy.passwordExpiryDays ? new Date(now.getTime() + policy.passwordExpiryDays * DAY_MS) : null;

  await db.$transaction(async (tx) => {
    const claimed = await tx.$executeRaw`
      UPDATE invitations SET used_at = now() WHERE id = ${invitation.invitationId} AND used_at IS NULL AND expires_at > now()`;
    const updated = await tx.$executeRaw`
      UPDATE users SET password_hash = ${passwordHash}, password_changed_at = ${now}, password_expires_at = ${passwordExpiresAt},
        password_change_required = false, updated_at = now()
      WHERE id = ${invitation.memberId} AND state = ANY(${[...INVITABLE_STATES]}::text[]) AND password_hash IS NULL`;
    // Used, expired or the member changed meanwhile: nothing of this attempt stays.
    if (claimed === 0 || updated === 0) throw new NotFoundError(INVITATION_NO_LONGER_VALID);
    await expireOpenInvitations(tx, invitation.memberId);
    await schedulePasswordExpiryReminders(tx, invitation.tenantId, invitation.memberId, passwordExpiresAt);
    await recordAuditEvent(tx, { tenantId: invitation.tenantId, memberId: invitation.memberId, ...client }, {
      action: "member.invitation_accepted",
      targetType: "member",
      targetId: invitation.memberId,
      changes: { passwordExpiresAt: { before: null, after: passwordExpiresAt } },
    });
  });
  return { organisation: invitation.organisationSlug, username: invitation.username, startDate: invitation.startDate };
}
