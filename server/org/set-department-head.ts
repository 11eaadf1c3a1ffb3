import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { InvalidTransitionError } from "@/server/errors";
import { departmentReference, findDepartment } from "@/server/org/find-department";
import { lockMemberRow } from "@/server/org/member-row-lock";
import { ZDepartmentHeadSet, type TDepartmentHeadSetInput } from "@/server/org/schemas";

/** Marks or unmarks a member as a head of one of their departments; a department may have several heads. */
export async function setDepartmentHead(db: TDatabase, actor: TActor, rawInput: TDepartmentHeadSetInput) {
  const input = ZDepartmentHeadSet.parse(rawInput);
  const memberId = BigInt(input.memberId);
  return db.$transaction(async (tx) => {
    await lockMemberRow(tx, actor.tenantId, memberId);
    const department = await findDepartment(tx, actor.tenantId, input.departmentId);
    if (input.head && department.kind === "departed") throw new InvalidTransitionError("The Departed department has no heads");
    const membership = await tx.departmentMember.findUnique({ where: { departmentId_userId: { departmentId: department.id, userId: memberId } } });
    if (!membership) throw new InvalidTransitionError(`The member is not in “${department.name}”: members head only their own departments`);
    if (membership.isHead === input.head) return { memberId, departmentId: department.id, head: input.head, changed: false };
    await tx.departmentMember.update({ where: { departmentId_userId: { departmentId: department.id, userId: memberId } }, data: { isHead: input.head } });
    // Heading the main department is the record's deptHead: the record changed.
    await tx.user.update({ where: { id: memberId }, data: { lastModifiedBy: actor.memberId } });
    const reference = departmentReference(department);
    await recordAuditEvent(tx, actor, {
      action: input.head ? "member.department_head_set" : "member.department_head_unset",
      targetType: "member",
      targetId: memberId,
      changes: { headOf: { before: input.head ? null : reference, after: input.head ? reference : null } },
    });
    return { memberId, departmentId: department.id, head: input.head, changed: true };
  });
}
