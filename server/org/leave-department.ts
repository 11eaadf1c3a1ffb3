import type { TDatabase, TTransaction } from "@/server/db/client";
import { recordAuditEvent, type TChanges } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { ConflictError, InvalidTransitionError } from "@/server/errors";
import { accessTotalsChange, applyAuditingAccess, previewOf } from "@/server/access-changes/apply-access-change";
import { departmentReference, findDepartment } from "@/server/org/find-department";
import { listMemberships, lockMemberRow } from "@/server/org/member-row-lock";
import { ZDepartmentLeave, type TDepartmentLeaveInput } from "@/server/org/schemas";

const CHOOSE_NEW_MAIN = "Choose the new main department";

/** The leave without its audit, shared by the leave and its preview. */
async function applyDepartmentLeave(tx: TTransaction, actor: TActor, input: TDepartmentLeaveInput) {
  const memberId = BigInt(input.memberId);
  const member = await lockMemberRow(tx, actor.tenantId, memberId);
  const department = await findDepartment(tx, actor.tenantId, input.departmentId);
  const memberships = await listMemberships(tx, memberId);
  const leaving = memberships.find((membership) => membership.id === department.id);
  if (!leaving) throw new InvalidTransitionError(`The member is not in “${department.name}”`);
  const remaining = memberships.filter((membership) => membership.id !== department.id);

  let newMain = memberships.find((membership) => membership.id === member.mainDepartmentId) ?? null;
  if (input.newMainDepartmentId) {
    newMain = remaining.find((membership) => membership.id === BigInt(input.newMainDepartmentId!)) ?? null;
    if (!newMain) throw new ConflictError("The new main department must be one the member stays in", { newMainDepartmentId: ["Choose a department the member stays in"] });
  } else if (member.mainDepartmentId === department.id) {
    if (remaining.length > 0) {
      throw new ConflictError(`“${department.name}” is the member's main department: choose the new main department to leave it`, {
        newMainDepartmentId: [CHOOSE_NEW_MAIN],
      });
    }
    newMain = null;
  }

  // The new main first, while the department left still exists as a membership for the foreign key.
  await tx.user.update({ where: { id: memberId }, data: { mainDepartmentId: newMain?.id ?? null, lastModifiedBy: actor.memberId } });
  await tx.departmentMember.delete({ where: { departmentId_userId: { departmentId: department.id, userId: memberId } } });
  const previousMain = memberships.find((membership) => membership.id === member.mainDepartmentId) ?? null;
  return { memberId, department, leaving, newMain, previousMain };
}

/** Who would gain and lose what if the member left; nothing changes. */
export async function previewDepartmentLeave(db: TDatabase, actor: TActor, rawInput: TDepartmentLeaveInput) {
  const input = ZDepartmentLeave.parse(rawInput);
  return previewOf(db, (tx) => applyDepartmentLeave(tx, actor, input));
}

/**
 * Takes a member out of one department (Departed included: the same rules).
 * The main department can be left only with a new main one from those that
 * remain, or when it is the last department (the member then has no main).
 * Heading the department ends with the membership.
 */
export async function leaveDepartment(db: TDatabase, actor: TActor, rawInput: TDepartmentLeaveInput) {
  const input = ZDepartmentLeave.parse(rawInput);
  const memberId = BigInt(input.memberId);
  return db.$transaction(async (tx) => {
    const { result } = await applyAuditingAccess(
      tx,
      actor,
      { action: "member.department_left", targetType: "member", targetId: memberId },
      () => applyDepartmentLeave(tx, actor, input),
      async ({ department, leaving, newMain, previousMain }, access) => {
        const changes: TChanges = { department: { before: departmentReference(department), after: null } };
        if (leaving.isHead) changes.headOf = { before: departmentReference(department), after: null };
        if ((previousMain?.id ?? null) !== (newMain?.id ?? null)) {
          changes.mainDepartmentId = { before: previousMain ? departmentReference(previousMain) : null, after: newMain ? departmentReference(newMain) : null };
        }
        await recordAuditEvent(tx, actor, { action: "member.department_left", targetType: "member", targetId: memberId, changes: { ...changes, ...accessTotalsChange(access) } });
      },
    );
    return { memberId, departmentId: result.department.id, mainDepartmentId: result.newMain?.id ?? null };
  });
}
