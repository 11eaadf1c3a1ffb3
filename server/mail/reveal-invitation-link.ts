import { z } from "zod";
import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { NotFoundError } from "@/server/errors";
import { ZEntityId } from "@/server/ids";
import { heldLinkShownTo, type THeldMail } from "@/server/mail/list-outbox";
import type { TActor } from "@/server/shared/actor";
import type { TAuthorityActor } from "@/server/shared/member-authority";

export const ZRevealInvitationLink = z.strictObject({ mailId: ZEntityId("Unknown mail") });

const NOT_SHOWN = "No invitation link to show for this mail";

/**
 * A held invitation's link, for the admin to hand on when no mail leaves the
 * server: only under the outbox's rule (held, an invitation, authority over the
 * invited member), and recorded, because whoever holds the link sets the
 * member's first password. The audit event names the mail, never the link.
 */
export async function revealInvitationLink(db: TDatabase, actor: TActor & TAuthorityActor, rawInput: z.input<typeof ZRevealInvitationLink>): Promise<{ link: string }> {
  const { mailId } = ZRevealInvitationLink.parse(rawInput);
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<THeldMail[]>`
      SELECT o.id, o.user_id, u.sys_admin AS recipient_level, o.kind, o.sealed_link, o.status
      FROM outbox_mails o LEFT JOIN users u ON u.id = o.user_id
      WHERE o.tenant_id = ${actor.tenantId} AND o.id = ${BigInt(mailId)}
      FOR UPDATE OF o`;
    const mail = rows[0];
    const link = mail ? heldLinkShownTo(actor, mail) : null;
    // One answer for "no such mail", "not yours to see" and "nothing to show": the id alone tells nothing.
    if (!mail || !link || mail.user_id === null) throw new NotFoundError(NOT_SHOWN);
    await recordAuditEvent(tx, actor, {
      action: "member.invitation_link_revealed",
      targetType: "member",
      targetId: mail.user_id,
      changes: { mailId: { before: null, after: mailId } },
    });
    return { link };
  });
}
