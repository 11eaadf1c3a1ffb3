import type { TDatabase } from "@/server/db/client";
import { creationChanges, recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import { ForbiddenError } from "@/server/errors";
import { explainMemberConflict } from "@/server/members/member-conflicts";
import { profileValues } from "@/server/members/profile-values";
import { ZMemberCreate, type TMemberCreateInput } from "@/server/members/schemas";

/** An admin adds a member from the console; one transaction with its audit event. */
export async function createMember(db: TDatabase, actor: TActor & TStepUpSession & { sysAdmin: number }, rawInput: TMemberCreateInput) {
  const input = ZMemberCreate.parse(rawInput);
  if (input.role === "owner" && actor.sysAdmin < SYSTEM_ROLE.owner) throw new ForbiddenError("Only an owner may make another owner");
  // Granting admin or owner is a sensitive operation: the session must have proved a factor recently.
  if (input.role !== "member") await assertStepUp(db, actor, "member.role_change");
  try {
    return await db.$transaction(async (tx) => {
      const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { nameOrder: true } });
      const values = profileValues(input, tenant.nameOrder);
      const member = await tx.user.create({
        data: { ...values, tenantId: actor.tenantId, source: "console", createdBy: actor.memberId, lastModifiedBy: actor.memberId },
        select: { id: true, username: true, updatedAt: true },
      });
      await recordAuditEvent(tx, actor, { action: "member.created", targetType: "member", targetId: member.id, changes: creationChanges(values) });
      return member;
    });
  } catch (error) {
    throw await explainMemberConflict(db, actor.tenantId, profileValues(input, "first_last"), error);
  }
}
