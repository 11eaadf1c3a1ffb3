import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { InvalidTransitionError } from "@/server/errors";
import { findDepartment, lockDepartment } from "@/server/org/find-department";
import { lockMemberRow } from "@/server/org/member-row-lock";
import { ZMemberTransfer, type TMemberTransferInput } from "@/server/org/schemas";

/**
 * Moves a member from one department to another (or into one, with no
 * origin) in one transaction, recording both. When the origin was the main
 * department, the destination becomes the main one.
 */
export async function transferMember(db: TDatabase, actor: TActor, rawInput: TMemberTransferInput) {
  const input = ZMemberTransfer.parse(rawInput);
  const memberId = BigInt(input.memberId);
  return db.$transaction(async (tx) => {
    const member = await lockMemberRow(tx, actor.tenantId, memberId);
    const to = await lockDepartment(tx, actor.tenantId, input.toDepartmentId, "key share");
    if (to.kind === "departed") throw new InvalidTransitionError("Members join the Departed department by resigning, not by a transfer");
    const from = input.fromDepartmentId ? await findDepartment(tx, actor.tenantId, input.fromDepartmentId) : null;
    if (from) {
      const { count } = await tx.departmentMember.deleteMany({ where: { departmentId: from.id, userId: memberId } });
      if (count === 0) throw new InvalidTransitionError(`The member is not in “${from.name}”`);
    }
    await tx.departmentMember.upsert({
      where: { departmentId_userId: { departmentId: to.id, userId: memberId } },
      create: { departmentId: to.id, userId: memberId },
      update: {},
    });
    // Leaving the main department cleared it (foreign key); the destination takes its place.
    const becomesMain = member.mainDepartmentId === null || member.mainDepartmentId === from?.id;
    if (becomesMain) await tx.user.update({ where: { id: memberId }, data: { mainDepartmentId: to.id, lastModifiedBy: actor.memberId } });
    else await tx.user.update({ where: { id: memberId }, data: { lastModifiedBy: actor.memberId } });
    await recordAuditEvent(tx, actor, {
      action: "member.transferred",
      targetType: "member",
      targetId: memberId,
      changes: {
        department: { before: from ? { id: from.id.toString(), name: from.name } : null, after: { id: to.id.toString(), name: to.name } },
        ...(becomesMain ? { mainDepartmentId: { before: member.mainDepartmentId?.toString() ?? null, after: to.id.toString() } } : {}),
      },
    });
    return { memberId, departmentId: to.id, main: becomesMain };
  });
}
