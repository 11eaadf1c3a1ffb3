import type { TDatabase, TTransaction, TDatabaseOrTransaction } from "@/server/db/client";
import { inTransaction } from "@/server/db/in-transaction";
import { accessTotalsChange, applyAuditingAccess, previewOf } from "@/server/access-changes/apply-access-change";
import { creationChanges, diffFields, recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { ConflictError, InvalidTransitionError } from "@/server/errors";
import { asDepartmentConflict } from "@/server/org/department-conflicts";
import { findDepartment, lockDepartment } from "@/server/org/find-department";
import { ZDepartmentCreate, ZDepartmentId, ZDepartmentMove, ZDepartmentRename } from "@/server/org/schemas";
import { lockDepartmentTree } from "@/server/org/tree-lock";
import type { z } from "zod";

const SYSTEM_DEPARTMENT = "The Departed department is managed by Tenure";

export async function createDepartment(db: TDatabaseOrTransaction, actor: TActor, rawInput: z.input<typeof ZDepartmentCreate>) {
  const input = ZDepartmentCreate.parse(rawInput);
  try {
    return await inTransaction(db, async (tx) => {
      await lockDepartmentTree(tx, actor.tenantId);
      if (input.parentId) {
        const parent = await findDepartment(tx, actor.tenantId, input.parentId);
        if (parent.kind === "departed") throw new InvalidTransitionError(`${SYSTEM_DEPARTMENT}: it has no sub-departments`);
      }
      const department = await tx.department.create({
        data: { tenantId: actor.tenantId, name: input.name, parentId: input.parentId ? BigInt(input.parentId) : null },
        select: { id: true, name: true, parentId: true },
      });
      await recordAuditEvent(tx, actor, { action: "department.created", targetType: "department", targetId: department.id, changes: creationChanges({ name: department.name, parentId: department.parentId?.toString() ?? null }) });
      return department;
    });
  } catch (error) {
    throw asDepartmentConflict(error);
  }
}

export async function renameDepartment(db: TDatabase, actor: TActor, rawInput: z.input<typeof ZDepartmentRename>) {
  const input = ZDepartmentRename.parse(rawInput);
  try {
    return await db.$transaction(async (tx) => {
      const department = await findDepartment(tx, actor.tenantId, input.departmentId);
      if (department.kind === "departed") throw new InvalidTransitionError(SYSTEM_DEPARTMENT);
      const changes = diffFields({ name: department.name }, { name: input.name });
      if (Object.keys(changes).length === 0) return department;
      const renamed = await tx.department.update({ where: { id: department.id }, data: { name: input.name }, select: { id: true, name: true, parentId: true } });
      await recordAuditEvent(tx, actor, { action: "department.renamed", targetType: "department", targetId: department.id, changes });
      return renamed;
    });
  } catch (error) {
    throw asDepartmentConflict(error);
  }
}

/** A move of 50,000 members' department recomputes all their access: more than the default 5 s may pass. */
const MOVE_TIMEOUT_MS = 120_000;

/** The move without its audit, shared by the move and its preview; `moved` is null when the parent is already that one. */
async function applyDepartmentMove(tx: TTransaction, actor: TActor, input: z.output<typeof ZDepartmentMove>) {
  await lockDepartmentTree(tx, actor.tenantId);
  const department = await findDepartment(tx, actor.tenantId, input.departmentId);
  if (department.kind === "departed") throw new InvalidTransitionError(SYSTEM_DEPARTMENT);
  const newParentId = input.newParentId ? BigInt(input.newParentId) : null;
  if (newParentId !== null) {
    const parent = await findDepartment(tx, actor.tenantId, newParentId);
    if (parent.kind === "departed") throw new InvalidTransitionError(`${SYSTEM_DEPARTMENT}: it has no sub-departments`);
    const [cycle] = await tx.$queryRaw<{ found: boolean }[]>`
      WITH RECURSIVE subtree AS (
        SELECT id FROM departments WHERE id = ${department.id}
        UNION ALL
        SELECT d.id FROM departments d JOIN subtree s ON d.parent_id = s.id
      )
      SELECT EXISTS (SELECT 1 FROM subtree WHERE id = ${newParentId}) AS found`;
    if (cycle?.found) throw new InvalidTransitionError("A department cannot move into itself or one of its sub-departments");
  }
  if (department.parentId === newParentId) return { department, newParentId, moved: null };
  const moved = await tx.department.update({ where: { id: department.id }, data: { parentId: newParentId }, select: { id: true, name: true, parentId: true } });
  return { department, newParentId, moved };
}

/** Who would gain and lose what if the department moved (with its subtree); nothing changes. */
export async function previewDepartmentMove(db: TDatabase, actor: TActor, rawInput: z.input<typeof ZDepartmentMove>) {
  const input = ZDepartmentMove.parse(rawInput);
  try {
    // One UPDATE moves the subtree; its trigger recomputes access once.
    return await previewOf(db, (tx) => applyDepartmentMove(tx, actor, input), { refreshesOnce: true });
  } catch (error) {
    throw asDepartmentConflict(error);
  }
}

/**
 * Moves a department with its whole subtree under another parent (or to the
 * top): its members' inherited access changes with it, recorded per member.
 */
export async function moveDepartment(db: TDatabase, actor: TActor, rawInput: z.input<typeof ZDepartmentMove>) {
  const input = ZDepartmentMove.parse(rawInput);
  try {
    return await db.$transaction(
      async (tx) => {
        const { result } = await applyAuditingAccess(
          tx,
          actor,
          { action: "department.moved", targetType: "department", targetId: BigInt(input.departmentId) },
          () => applyDepartmentMove(tx, actor, input),
          async ({ department, newParentId, moved }, changes) => {
            if (!moved) return;
            await recordAuditEvent(tx, actor, {
              action: "department.moved",
              targetType: "department",
              targetId: department.id,
              changes: { parentId: { before: department.parentId?.toString() ?? null, after: newParentId?.toString() ?? null }, ...accessTotalsChange(changes) },
            });
          },
        );
        return result.moved ?? result.department;
      },
      { timeout: MOVE_TIMEOUT_MS },
    );
  } catch (error) {
    throw asDepartmentConflict(error);
  }
}

/** Deletes an empty department: no members and no sub-departments. */
export async function deleteDepartment(db: TDatabase, actor: TActor, rawInput: z.input<typeof ZDepartmentId>) {
  const input = ZDepartmentId.parse(rawInput);
  await db.$transaction(async (tx) => {
    await lockDepartmentTree(tx, actor.tenantId);
    // Locked before counting: a member joining meanwhile waits, then finds no department.
    const department = await lockDepartment(tx, actor.tenantId, input.departmentId, "update");
    if (department.kind === "departed") throw new InvalidTransitionError("The Departed department cannot be deleted");
    const [children, members] = await Promise.all([
      tx.department.count({ where: { parentId: department.id } }),
      tx.departmentMember.count({ where: { departmentId: department.id } }),
    ]);
    if (children > 0 || members > 0) {
      throw new ConflictError(
        `“${department.name}” still has ${[children ? `${children} sub-department(s)` : "", members ? `${members} member(s)` : ""].filter(Boolean).join(" and ")}: move them first`,
      );
    }
    await tx.department.delete({ where: { id: department.id } });
    await recordAuditEvent(tx, actor, { action: "department.deleted", targetType: "department", targetId: department.id, changes: { name: { before: department.name, after: null } } });
  });
}
