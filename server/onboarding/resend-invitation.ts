import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { InvalidTransitionError, NotFoundError } from "@/server/errors";
import { ZMemberId } from "@/server/ids";
import { assertAuthorityOver, type TAuthorityActor } from "@/server/shared/member-authority";
import { createInvitation, expireOpenInvitations, invitationRefusal } from "@/server/onboarding/invitations";
import type { z } from "zod";
import { passwordByDirectorySql } from "@/server/shared/managed-fields";

type TInvitableRow = { id: bigint; username: string; email: string | null; full_name: string; state: string; start_date: Date | null; has_password: boolean; password_by_directory: boolean };

/**
 * Sends the member a new invitation: the ones still open stop working (only
 * the latest link does), a new link is mailed, one audit event.
 */
export async function resendInvitation(db: TDatabase, actor: TActor & TAuthorityActor, rawInput: z.input<typeof ZMemberId>) {
  const input = ZMemberId.parse(rawInput);
  return db.$transaction(async (tx) => {
    const [member] = await tx.$queryRaw<TInvitableRow[]>`
      SELECT id, username::text, email::text, full_name, state, start_date, password_hash IS NOT NULL AS has_password,
             ${passwordByDirectorySql("users")} AS password_by_directory
      FROM users WHERE id = ${BigInt(input.memberId)} AND tenant_id = ${actor.tenantId} FOR UPDATE`;
    if (!member) throw new NotFoundError("Member not found");
    await assertAuthorityOver(tx, actor, [member.id]);
    const refusal = invitationRefusal({ state: member.state, hasPassword: member.has_password, passwordByDirectory: member.password_by_directory });
    if (refusal) throw new InvalidTransitionError(refusal);
    const organisation = await tx.tenant.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { name: true, slug: true } });
    const replaced = await expireOpenInvitations(tx, member.id);
    const invitee = { id: member.id, tenantId: actor.tenantId, username: member.username, email: member.email, fullName: member.full_name, startDate: member.state === "pending" ? member.start_date : null };
    const { expiresAt, handOverLink } = await createInvitation(tx, invitee, organisation);
    await recordAuditEvent(tx, actor, {
      action: "member.invitation_sent",
      targetType: "member",
      targetId: member.id,
      changes: {
        invitationExpiresAt: { before: null, after: expiresAt },
        ...(replaced > 0 ? { openInvitations: { before: replaced, after: 1 } } : {}),
        ...(handOverLink ? { invitationHandedToAdmin: { before: null, after: true } } : {}),
      },
    });
    return { sentTo: member.email, expiresAt, link: handOverLink };
  });
}
