import type { TDatabase } from "@/server/db/client";
import { creationChanges, recordAuditEvent, type TActor } from "@/server/audit/record-audit-event";
import { SYSTEM_ROLE } from "@/server/auth/roles";
import { ForbiddenError } from "@/server/errors";
import { composeFullName } from "@/server/members/full-name";
import { asMemberConflict } from "@/server/members/member-conflicts";
import { normaliseMobile } from "@/server/members/phone";
import { ZMemberCreate, type TMemberCreateInput } from "@/server/members/schemas";

/** An admin adds a member from the console; one transaction with its audit event. */
export async function createMember(db: TDatabase, actor: TActor & { sysAdmin: number }, rawInput: TMemberCreateInput) {
  const input = ZMemberCreate.parse(rawInput);
  if (input.role === "owner" && actor.sysAdmin < SYSTEM_ROLE.owner) throw new ForbiddenError("Only an owner may make another owner");
  const phone = normaliseMobile(input.mobile, input.country)!;
  try {
    return await db.$transaction(async (tx) => {
      const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { nameOrder: true } });
      const values = {
        firstName: input.firstName,
        lastName: input.lastName,
        fullName: input.fullName ?? composeFullName(input.firstName, input.lastName, tenant.nameOrder),
        username: input.username,
        email: input.email,
        mobile: phone.mobile,
        itc: phone.itc,
        country: phone.country,
        landline: input.landline ?? null,
        gender: input.gender ?? null,
        title: input.title ?? null,
        address: input.address ?? null,
        sysAdmin: SYSTEM_ROLE[input.role],
      };
      const member = await tx.user.create({
        data: { ...values, tenantId: actor.tenantId, source: "console", createdBy: actor.memberId, lastModifiedBy: actor.memberId },
        select: { id: true, username: true, updatedAt: true },
      });
      await recordAuditEvent(tx, actor, { action: "member.created", targetType: "member", targetId: member.id, changes: creationChanges(values) });
      return member;
    });
  } catch (error) {
    throw asMemberConflict(error);
  }
}
