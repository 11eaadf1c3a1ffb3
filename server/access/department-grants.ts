import type { TTransaction } from "@/server/db/client";
import type { TActor } from "@/server/shared/actor";
import type { TAuditAction } from "@/server/audit/audit-actions";
import type { TChanges } from "@/server/audit/record-audit-event";
import { findCatalogItem, type TCatalogItem } from "@/server/access/manage-catalog";
import { findDepartment } from "@/server/org/find-department";
import { holderGrantTable, lockTenantAccess } from "@/server/access/holder-grant-tables";
import type { TGrantToDepartment, TRevokeFromDepartment, TSetDepartmentGrantScope } from "@/server/access/grant-schemas";
import { ConflictError, InvalidTransitionError } from "@/server/errors";

// The changes to a department's grants, each run inside a transaction the
// caller owns: change-grants.ts runs the same function for the preview (then
// rolls back) and for the confirmed change (then audits what it recorded).

/** What a grant change did, for its own audit event. */
export type TGrantChangeOutcome = { action: TAuditAction; targetType: "department" | "group"; targetId: bigint; changes: TChanges };

export const DEPARTED_REFUSAL =
  "The Departed department cannot be granted anything: it holds members who have left, and a restored member still in it would get the grant back without anyone deciding so";

const reference = (item: { id: bigint; name: string }) => ({ id: item.id.toString(), name: item.name });

async function departmentAndItem(tx: TTransaction, actor: TActor, input: { departmentId: string; kind: "role" | "application"; itemId: string }) {
  await lockTenantAccess(tx, actor.tenantId);
  const department = await findDepartment(tx, actor.tenantId, input.departmentId);
  const item: TCatalogItem = await findCatalogItem(tx, actor.tenantId, input.kind, input.itemId);
  return { department, item, ...holderGrantTable("department", input.kind) };
}

export async function applyGrantToDepartment(tx: TTransaction, actor: TActor, input: TGrantToDepartment): Promise<TGrantChangeOutcome> {
  const { department, item, tableSql, columnSql } = await departmentAndItem(tx, actor, input);
  if (department.kind === "departed") throw new InvalidTransitionError(DEPARTED_REFUSAL, { departmentId: [DEPARTED_REFUSAL] });
  const inserted = await tx.$queryRaw<{ department_id: bigint }[]>`
    INSERT INTO ${tableSql} (department_id, ${columnSql}, subtree, granted_by)
    VALUES (${department.id}, ${item.id}, ${input.subtree}, ${actor.memberId})
    ON CONFLICT DO NOTHING RETURNING department_id`;
  if (inserted.length === 0) {
    const message = `${department.name} already has the ${input.kind} “${item.name}”`;
    throw new ConflictError(message, { itemId: [message] });
  }
  return {
    action: `department.${input.kind}_granted`,
    targetType: "department",
    targetId: department.id,
    changes: { [input.kind]: { before: null, after: reference(item) }, subtree: { before: null, after: input.subtree } },
  };
}

export async function applySetDepartmentGrantScope(tx: TTransaction, actor: TActor, input: TSetDepartmentGrantScope): Promise<TGrantChangeOutcome> {
  const { department, item, tableSql, columnSql } = await departmentAndItem(tx, actor, input);
  const [current] = await tx.$queryRaw<{ subtree: boolean }[]>`
    SELECT subtree FROM ${tableSql} WHERE department_id = ${department.id} AND ${columnSql} = ${item.id} FOR UPDATE`;
  if (!current) throw new InvalidTransitionError(`${department.name} does not have the ${input.kind} “${item.name}”`);
  if (current.subtree === input.subtree) {
    const message = input.subtree ? `The grant already reaches everything below ${department.name}` : `The grant already applies to ${department.name} only`;
    throw new ConflictError(message, { subtree: [message] });
  }
  await tx.$executeRaw`UPDATE ${tableSql} SET subtree = ${input.subtree} WHERE department_id = ${department.id} AND ${columnSql} = ${item.id}`;
  return {
    action: `department.${input.kind}_scope_changed`,
    targetType: "department",
    targetId: department.id,
    // The item did not change, only the grant's reach: it is named apart, so the trail shows it.
    changes: { grantOf: { before: null, after: { kind: input.kind, ...reference(item) } }, subtree: { before: current.subtree, after: input.subtree } },
  };
}

export async function applyRevokeFromDepartment(tx: TTransaction, actor: TActor, input: TRevokeFromDepartment): Promise<TGrantChangeOutcome> {
  const { department, item, tableSql, columnSql } = await departmentAndItem(tx, actor, input);
  const [removed] = await tx.$queryRaw<{ subtree: boolean }[]>`
    DELETE FROM ${tableSql} WHERE department_id = ${department.id} AND ${columnSql} = ${item.id} RETURNING subtree`;
  if (!removed) throw new InvalidTransitionError(`${department.name} does not have the ${input.kind} “${item.name}”`);
  return {
    action: `department.${input.kind}_revoked`,
    targetType: "department",
    targetId: department.id,
    changes: { [input.kind]: { before: reference(item), after: null }, subtree: { before: removed.subtree, after: null } },
  };
}
