import { z } from "zod";
import { Prisma } from "@/server/db/generated/client";
import type { TDatabase } from "@/server/db/client";
import { ZEntityId } from "@/server/ids";
import { openMailLink } from "@/server/mail/secret-link";
import { ownerAuthorityRefusal, type TAuthorityActor } from "@/server/shared/member-authority";

/**
 * The one kind of secret link an admin may read from a held mail: an
 * invitation, to hand on to the invited member when no mail leaves the server,
 * and only if the admin has authority over that member (only an owner over an
 * owner). A password reset link is never shown: it belongs to the recipient's
 * mailbox alone, or else any admin could reset anyone's password.
 */
const LINKS_SHOWN_TO_ADMINS: readonly string[] = ["invitation"];

// A plain object: infinite queries add fields of their own.
export const ZOutboxInput = z.object({
  limit: z.number().int().min(1).max(100).default(30),
  /** Keyset: the id of the last mail of the previous page (newest first). */
  cursor: ZEntityId("Invalid cursor").nullish(),
});

/** What decides whether a held mail's link may be shown. */
export type THeldMail = {
  id: bigint;
  user_id: bigint | null;
  recipient_level: number | null;
  kind: string;
  sealed_link: string | null;
  status: string;
};

type TOutboxRow = THeldMail & {
  to_address: string;
  subject: string;
  body_text: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
};

function mayShowHeldLink(actor: TAuthorityActor, row: THeldMail): row is THeldMail & { sealed_link: string } {
  if (!row.sealed_link || row.status !== "held" || !LINKS_SHOWN_TO_ADMINS.includes(row.kind)) return false;
  return row.recipient_level !== null && ownerAuthorityRefusal(actor, { sysAdmin: row.recipient_level }) === null;
}

/** The link of a held invitation, opened, when `actor` may see it; null otherwise. Revealing it is revealInvitationLink's (audited). */
export function heldLinkShownTo(actor: TAuthorityActor, row: THeldMail): string | null {
  return mayShowHeldLink(actor, row) ? openMailLink({ tenantId: actor.tenantId, memberId: row.user_id, kind: row.kind }, row.sealed_link) : null;
}

/**
 * The tenant's mail, newest first: what was sent, or held for reading when no
 * SMTP relay is set. Bodies never hold a secret link (a placeholder stands in);
 * `linkAvailable` says a held invitation's link may be shown to this admin (who
 * has authority over the invited member): revealInvitationLink shows it, audited.
 */
export async function listOutbox(db: TDatabase, actor: TAuthorityActor, rawInput: z.input<typeof ZOutboxInput>) {
  const input = ZOutboxInput.parse(rawInput);
  const rows = await db.$queryRaw<TOutboxRow[]>`
    SELECT o.id, o.user_id, u.sys_admin AS recipient_level, o.kind, o.to_address, o.subject, o.body_text, o.sealed_link, o.status, o.attempts, o.last_error, o.created_at, o.sent_at
    FROM outbox_mails o
    LEFT JOIN users u ON u.id = o.user_id
    WHERE o.tenant_id = ${actor.tenantId} ${input.cursor ? Prisma.sql`AND o.id < ${BigInt(input.cursor)}` : Prisma.empty}
    ORDER BY o.id DESC LIMIT ${input.limit + 1}`;
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((row) => ({
      id: row.id.toString(),
      kind: row.kind,
      to: row.to_address,
      subject: row.subject,
      body: row.body_text,
      linkAvailable: mayShowHeldLink(actor, row),
      status: row.status,
      attempts: row.attempts,
      lastError: row.last_error,
      createdAt: row.created_at,
      sentAt: row.sent_at,
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id.toString() ?? null) : null,
  };
}
