import { useTimeZone } from "@/components/date-time";
import { formatDateTime } from "@/components/members/member-labels";

type TPasswordStatus = { passwordSet: boolean; invitationExpiresAt: Date | string | null };

/**
 * Why an "active" member may still be unable to sign in: they have not answered
 * their invitation. Null once they have a password. Times in `timeZone`, as the page shows them.
 */
export function passwordPendingText({ passwordSet, invitationExpiresAt }: TPasswordStatus, timeZone: string): string | null {
  if (passwordSet) return null;
  if (!invitationExpiresAt) return "Has not set a password yet: no open invitation.";
  const expiry = formatDateTime(invitationExpiresAt, timeZone);
  return new Date(invitationExpiresAt) > new Date()
    ? `Invited · has not set a password yet (invitation expires ${expiry}).`
    : `Invited · has not set a password yet (invitation expired ${expiry}: resend it).`;
}

/** The short form for the member list's status cell, beside the state badge; the whole sentence on hover and for screen readers. */
export function PasswordPendingNote({ member }: { member: TPasswordStatus }) {
  const text = passwordPendingText(member, useTimeZone());
  if (!text) return null;
  return (
    <span className="mt-0.5 block text-xs whitespace-nowrap text-slate-600" title={text} data-testid="password-pending">
      <span aria-hidden="true">Invited · no password yet</span>
      <span className="sr-only">{text}</span>
    </span>
  );
}
