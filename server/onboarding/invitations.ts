import type { TTransaction } from "@/server/db/client";
import { appUrl, sendMail } from "@/server/mail/send-mail";
import { SECRET_LINK_PLACEHOLDER } from "@/server/mail/secret-link";
import { INVITATION_LIFETIME_DAYS, invitationTokenHash, newInvitationToken } from "@/server/onboarding/invitation-token";

/** States in which a member may still be invited: they exist and may sign in, now or later. */
export const INVITABLE_STATES = ["pending", "active", "locked"] as const;

/** Why this member cannot be sent an invitation, or null. */
export function invitationRefusal(member: { state: string; hasPassword: boolean; passwordByDirectory?: boolean }): string | null {
  if (!(INVITABLE_STATES as readonly string[]).includes(member.state)) return `A ${member.state} member cannot be invited`;
  // Sign-in by LDAP bind: the directory's password signs them in; a Tenure one would never be used.
  if (member.passwordByDirectory) return "The member signs in with their directory's password: there is no password to choose here";
  // The invitation sets a first password; changing a known one is the member's own business.
  if (member.hasPassword) return "The member has already chosen a password";
  return null;
}

export type TInvitee = { id: bigint; tenantId: bigint; username: string; email: string | null; fullName: string; startDate: Date | null };
/**
 * How the link reaches the member: mailed, or, for a member without an email
 * address (onboarded by mobile), returned once to the inviting admin to hand
 * over (a text message, in person); Tenure sends no SMS. Like the mail, it
 * is shown once and never stored: only its hash is.
 */
export type TInvitationSent = { expiresAt: Date; handOverLink: string | null };
export type TInvitingOrganisation = { name: string; slug: string };

const formatTime = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/**
 * Invites a member to choose their first password, inside the caller's
 * transaction: a single-use link valid for seven days (only the token's hash
 * is stored) mailed through the outbox. The token exists only in the mail
 * (sealed until delivery, never in the stored body), or in the answer to the
 * admin when the member has no email address (TInvitationSent).
 */
export async function createInvitation(tx: TTransaction, member: TInvitee, organisation: TInvitingOrganisation): Promise<TInvitationSent> {
  const token = newInvitationToken();
  const [invitation] = await tx.$queryRaw<{ expires_at: Date }[]>`
    INSERT INTO invitations (tenant_id, user_id, token_hash, expires_at)
    VALUES (${member.tenantId}, ${member.id}, ${invitationTokenHash(token)}, now() + make_interval(days => ${INVITATION_LIFETIME_DAYS}))
    RETURNING expires_at`;
  const expiresAt = invitation!.expires_at;
  const link = appUrl(`/invite/${token}`);
  if (member.email === null) return { expiresAt, handOverLink: link };
  const opens = member.startDate ? `Your account opens on ${formatTime(member.startDate)}: you can choose your password now and sign in from then.\n\n` : "";
  await sendMail(tx, {
    tenantId: member.tenantId,
    memberId: member.id,
    kind: "invitation",
    to: member.email,
    subject: `You're invited to ${organisation.name}`,
    text:
      `Hello ${member.fullName},\n\n` +
      `You have been invited to ${organisation.name}. Choose your password here:\n\n` +
      `${SECRET_LINK_PLACEHOLDER}\n\n` +
      `To sign in, use the organisation "${organisation.slug}" and your username "${member.username}" (or this email address).\n\n` +
      opens +
      `The link works once and expires at ${formatTime(expiresAt)}. If it has expired, ask your administrator to send a new one.\n`,
    secretLink: link,
  });
  return { expiresAt, handOverLink: null };
}

/** Ends every invitation of the member still open (a new one replaces them, or one was just used). */
export async function expireOpenInvitations(tx: TTransaction, memberId: bigint): Promise<number> {
  return tx.$executeRaw`
    UPDATE invitations SET expires_at = now() WHERE user_id = ${memberId} AND used_at IS NULL AND expires_at > now()`;
}
