import type { TDatabaseOrTransaction } from "@/server/db/client";
import { inTransaction } from "@/server/db/in-transaction";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { departmentReference, findDepartment } from "@/server/org/find-department";
import { lockMemberRow } from "@/server/org/member-row-lock";
import { asMainDepartmentConflict } from "@/server/org/main-department-conflicts";
import { ZMainDepartmentSet, type TMainDepartmentSetInput } from "@/server/org/schemas";

/** Makes one of the member's departments their main one. */
export async function setMainDepartment(db: TDatabaseOrTransaction, actor: TActor, rawInput: TMainDepartmentSetInput) {
  const input = ZMainDepartmentSet.parse(rawInput);
  const memberId = BigInt(input.memberId);
  try {
    return await inTransaction(db, async (tx) => {
      const member = await lockMemberRow(tx, actor.tenantId, memberId);
      const department = await findDepartment(tx, actor.tenantId, input.departmentId);
      if (member.mainDepartmentId === department.id) return { memberId, mainDepartmentId: department.id, changed: false };
      const previous = member.mainDepartmentId === null ? null : await findDepartment(tx, actor.tenantId, member.mainDepartmentId);
      // No membership check here: the composite foreign key refuses a department the member is not in (see asMainDepartmentConflict).
      await tx.user.update({ where: { id: memberId }, data: { mainDepartmentId: department.id, lastModifiedBy: actor.memberId } });
      await recordAuditEvent(tx, actor, {
        action: "member.main_department_set",
        targetType: "member",
        targetId: memberId,
        changes: { mainDepartmentId: { before: previous ? departmentReference(previous) : null, after: departmentReference(department) } },
      });
      return { memberId, mainDepartmentId: department.id, changed: true };
    });
  } catch (error) {
    throw asMainDepartmentConflict(error);
  }
}
