import type { TDatabase, TTransaction } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { InvalidTransitionError } from "@/server/errors";
import { accessTotalsChange, applyAuditingAccess, previewOf } from "@/server/access-changes/apply-access-change";
import { findDepartment, lockDepartment } from "@/server/org/find-department";
import { lockMemberRow } from "@/server/org/member-row-lock";
import { ZMemberTransfer, type TMemberTransferInput } from "@/server/org/schemas";

/**
 * The transfer itself, without its audit: used by the transfer and by its
 * preview (which rolls it back), so the preview is exactly what it does.
 */
async function applyMemberTransfer(tx: TTransaction, actor: TActor, input: TMemberTransferInput) {
  const memberId = BigInt(input.memberId);
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
  return { memberId, member, from, to, becomesMain };
}

/** Who would gain and lose what if this member were transferred; nothing changes. */
export async function previewMemberTransfer(db: TDatabase, actor: TActor, rawInput: TMemberTransferInput) {
  const input = ZMemberTransfer.parse(rawInput);
  return previewOf(db, (tx) => applyMemberTransfer(tx, actor, input));
}

/**
 * Moves a member from one department to another (or into one, with no
 * origin) in one transaction, recording both and the access it changes.
 * When the origin was the main department, the destination becomes the main one.
 */
export async function transferMember(db: TDatabase, actor: TActor, rawInput: TMemberTransferInput) {
  const input = ZMemberTransfer.parse(rawInput);
  const memberId = BigInt(input.memberId);
  return db.$transaction(async (tx) => {
    const { result } = await applyAuditingAccess(
      tx,
      actor,
      { action: "member.transferred", targetType: "member", targetId: memberId },
      () => applyMemberTransfer(tx, actor, input),
      async ({ member, from, to, becomesMain }, changes) => {
        await recordAuditEvent(tx, actor, {
          action: "member.transferred",
          targetType: "member",
          targetId: memberId,
          changes: {
            department: { before: from ? { id: from.id.toString(), name: from.name } : null, after: { id: to.id.toString(), name: to.name } },
            ...(becomesMain ? { mainDepartmentId: { before: member.mainDepartmentId?.toString() ?? null, after: to.id.toString() } } : {}),
            ...accessTotalsChange(changes),
          },
        });
      },
    );
    return { memberId, departmentId: result.to.id, main: result.becomesMain };
  });
}
