import { openValue, sealValue } from "@/server/shared/secret-box";

// A mail that carries a working secret link (a password reset, an invitation)
// stores its body with this placeholder instead of the link, and the link
// sealed beside it (outbox_mails.sealed_link): admins reading the outbox see
// the placeholder, a copy of the database holds no usable link, and delivery
// puts the link into the mail it sends, then wipes the sealed copy.

/** What stands in the stored body where the link goes; the mail's text must contain it exactly once. */
export const SECRET_LINK_PLACEHOLDER = "[personal link: sent only to the recipient's mailbox]";

const PURPOSE = "outbox-link";

/** The link is bound to its tenant, recipient and kind: a sealed value copied onto another mail does not open. */
const boundTo = (mail: { tenantId: bigint; memberId: bigint | null; kind: string }) => `outbox:${mail.tenantId}:${mail.memberId ?? ""}:${mail.kind}`;

export function sealMailLink(mail: { tenantId: bigint; memberId: bigint | null; kind: string }, link: string): string {
  return sealValue(PURPOSE, boundTo(mail), link);
}

export function openMailLink(mail: { tenantId: bigint; memberId: bigint | null; kind: string }, sealed: string): string {
  return openValue(PURPOSE, boundTo(mail), sealed);
}

/** The text a recipient receives: the stored body with its sealed link put back (unchanged when it has none). */
export function deliveredText(mail: { tenantId: bigint; userId: bigint | null; kind: string; bodyText: string; sealedLink: string | null }): string {
  if (!mail.sealedLink) return mail.bodyText;
  return mail.bodyText.replace(SECRET_LINK_PLACEHOLDER, openMailLink({ tenantId: mail.tenantId, memberId: mail.userId, kind: mail.kind }, mail.sealedLink));
}
