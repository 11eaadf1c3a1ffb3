import type { TSqlTransaction } from "@/server/db/sql-transaction";
import { serverEnv } from "@/server/env";
import { SECRET_LINK_PLACEHOLDER, sealMailLink } from "@/server/mail/secret-link";
import { enqueueMany } from "@/server/queue/enqueue";

export type TMail = {
  tenantId: bigint;
  /** The member the mail is about, so deleting them deletes their mail too. */
  memberId: bigint | null;
  kind: string;
  /** Null: the member has no email address (onboarded by mobile), so there is nobody to mail. */
  to: string | null;
  subject: string;
  /** With `secretLink`, the text holds SECRET_LINK_PLACEHOLDER where the link goes. */
  text: string;
  /** A link that opens an account (reset, invitation): never stored in the body, sealed until delivery. */
  secretLink?: string;
};

/** Whether mail leaves the server: over SMTP, or (a trial without SMTP that asked for it) into the worker's log. */
export function mailIsDelivered(): boolean {
  const env = serverEnv();
  return Boolean(env.SMTP_URL) || env.MAIL_TO_LOG;
}

/**
 * The one way the app sends mail, inside the transaction of the change that
 * causes it: a mail exists only if the change commits. Every mail is kept in
 * the outbox (Settings → Outbox); with SMTP_URL set, a job delivers each one.
 * A secret link is kept out of the body (server/mail/secret-link.ts).
 * Set-based, for bulk actions.
 */
export async function sendMails(tx: TSqlTransaction, allMails: TMail[]): Promise<bigint[]> {
  const mails = allMails.filter((mail): mail is TMail & { to: string } => mail.to !== null);
  if (mails.length === 0) return [];
  for (const mail of mails) {
    if (mail.secretLink !== undefined && mail.text.split(SECRET_LINK_PLACEHOLDER).length !== 2) throw new Error(`A ${mail.kind} mail must hold its link's placeholder exactly once`);
    if (mail.secretLink === undefined && mail.text.includes(SECRET_LINK_PLACEHOLDER)) throw new Error(`A ${mail.kind} mail has a link placeholder but no link`);
  }
  const deliver = mailIsDelivered();
  const rows = await tx.$queryRaw<{ id: bigint }[]>`
    INSERT INTO outbox_mails (tenant_id, user_id, kind, to_address, subject, body_text, sealed_link, status)
    SELECT m.tenant_id, m.user_id, m.kind, left(m.to_address, 200), left(m.subject, 200), m.body_text, m.sealed_link, ${deliver ? "queued" : "held"}
    FROM unnest(
      ${mails.map((mail) => mail.tenantId)}::bigint[], ${mails.map((mail) => mail.memberId)}::bigint[], ${mails.map((mail) => mail.kind)}::text[],
      ${mails.map((mail) => mail.to)}::text[], ${mails.map((mail) => mail.subject)}::text[], ${mails.map((mail) => mail.text)}::text[],
      ${mails.map((mail) => (mail.secretLink === undefined ? null : sealMailLink(mail, mail.secretLink)))}::text[]
    ) AS m(tenant_id, user_id, kind, to_address, subject, body_text, sealed_link)
    RETURNING id`;
  if (deliver) await enqueueMany(tx, "mail__deliver", rows.map((row) => ({ payload: { mailId: row.id.toString() }, jobKey: `mail:${row.id}` })));
  return rows.map((row) => row.id);
}

/** The outbox id, or null when the member has no email address (nothing is sent). */
export async function sendMail(tx: TSqlTransaction, mail: TMail): Promise<bigint | null> {
  const [id] = await sendMails(tx, [mail]);
  return id ?? null;
}

/** A link into the app, for mails. */
export function appUrl(pathname: string): string {
  return new URL(pathname, serverEnv().NEXTAUTH_URL).toString();
}
