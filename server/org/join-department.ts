import type { TDatabase, TTransaction, TDatabaseOrTransaction } from "@/server/db/client";
import { inTransaction } from "@/server/db/in-transaction";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { ConflictError, InvalidTransitionError } from "@/server/errors";
import { accessTotalsChange, applyAuditingAccess, previewOf } from "@/server/access-changes/apply-access-change";
import { departmentReference, findDepartment, lockDepartment } from "@/server/org/find-department";
import { lockMemberRow } from "@/server/org/member-row-lock";
import { ZDepartmentJoin, type TDepartmentJoinInput } from "@/server/org/schemas";

/** The join without its audit, shared by the join and its preview. */
async function applyDepartmentJoin(tx: TTransaction, actor: TActor, input: TDepartmentJoinInput) {
  const memberId = BigInt(input.memberId);
  const member = await lockMemberRow(tx, actor.tenantId, memberId);
  const department = await lockDepartment(tx, actor.tenantId, input.departmentId, "key share");
  if (department.kind === "departed") throw new InvalidTransitionError("Members join the Departed department by resigning, not from here");
  const existing = await tx.departmentMember.findUnique({ where: { departmentId_userId: { departmentId: department.id, userId: memberId } } });
  if (existing) {
    const message = `The member is already in “${department.name}”`;
    throw new ConflictError(message, { departmentId: [message] });
  }
  await tx.departmentMember.create({ data: { departmentId: department.id, userId: memberId } });
  const becomesMain = input.main === true || member.mainDepartmentId === null;
  const previousMain = becomesMain && member.mainDepartmentId !== null ? await findDepartment(tx, actor.tenantId, member.mainDepartmentId) : null;
  await tx.user.update({
    where: { id: memberId },
    data: { ...(becomesMain ? { mainDepartmentId: department.id } : {}), lastModifiedBy: actor.memberId },
  });
  return { memberId, department, becomesMain, previousMain };
}

/** Who would gain and lose what if the member joined; nothing changes. */
export async function previewDepartmentJoin(db: TDatabase, actor: TActor, rawInput: TDepartmentJoinInput) {
  const input = ZDepartmentJoin.parse(rawInput);
  return previewOf(db, (tx) => applyDepartmentJoin(tx, actor, input));
}

/**
 * Adds a member to one more department; they stay in the others. A member
 * with no main department gets this one as main (their first department), as
 * does a join that asks for it.
 */
export async function joinDepartment(db: TDatabaseOrTransaction, actor: TActor, rawInput: TDepartmentJoinInput) {
  const input = ZDepartmentJoin.parse(rawInput);
  const memberId = BigInt(input.memberId);
  return inTransaction(db, async (tx) => {
    const { result } = await applyAuditingAccess(
      tx,
      actor,
      { action: "member.department_joined", targetType: "member", targetId: memberId },
      () => applyDepartmentJoin(tx, actor, input),
      async ({ department, becomesMain, previousMain }, changes) => {
        await recordAuditEvent(tx, actor, {
          action: "member.department_joined",
          targetType: "member",
          targetId: memberId,
          changes: {
            department: { before: null, after: departmentReference(department) },
            ...(becomesMain ? { mainDepartmentId: { before: previousMain ? departmentReference(previousMain) : null, after: departmentReference(department) } } : {}),
            ...accessTotalsChange(changes),
          },
        });
      },
    );
    return { memberId, departmentId: result.department.id, main: result.becomesMain };
  });
}
