import type { TTransaction } from "@/server/db/client";
import type { TActor } from "@/server/shared/actor";
import { findCatalogItem } from "@/server/access/manage-catalog";
import { holderGrantTable, lockTenantAccess } from "@/server/access/holder-grant-tables";
import type { TGrantToGroup, TRevokeFromGroup } from "@/server/access/grant-schemas";
import type { TGrantChangeOutcome } from "@/server/access/department-grants";
import { ConflictError, InvalidTransitionError } from "@/server/errors";

// The changes to a group's grants, run inside the caller's transaction (see department-grants.ts).

const reference = (item: { id: bigint; name: string }) => ({ id: item.id.toString(), name: item.name });

async function groupAndItem(tx: TTransaction, actor: TActor, input: { groupId: string; kind: "role" | "application"; itemId: string }) {
  await lockTenantAccess(tx, actor.tenantId);
  const group = await findCatalogItem(tx, actor.tenantId, "group", input.groupId);
  const item = await findCatalogItem(tx, actor.tenantId, input.kind, input.itemId);
  return { group, item, ...holderGrantTable("group", input.kind) };
}

export async function applyGrantToGroup(tx: TTransaction, actor: TActor, input: TGrantToGroup): Promise<TGrantChangeOutcome> {
  const { group, item, tableSql, columnSql } = await groupAndItem(tx, actor, input);
  const inserted = await tx.$queryRaw<{ group_id: bigint }[]>`
    INSERT INTO ${tableSql} (group_id, ${columnSql}, granted_by) VALUES (${group.id}, ${item.id}, ${actor.memberId})
    ON CONFLICT DO NOTHING RETURNING group_id`;
  if (inserted.length === 0) {
    const message = `The group ${group.name} already has the ${input.kind} “${item.name}”`;
    throw new ConflictError(message, { itemId: [message] });
  }
  return { action: `group.${input.kind}_granted`, targetType: "group", targetId: group.id, changes: { [input.kind]: { before: null, after: reference(item) } } };
}

export async function applyRevokeFromGroup(tx: TTransaction, actor: TActor, input: TRevokeFromGroup): Promise<TGrantChangeOutcome> {
  const { group, item, tableSql, columnSql } = await groupAndItem(tx, actor, input);
  const removed = await tx.$executeRaw`DELETE FROM ${tableSql} WHERE group_id = ${group.id} AND ${columnSql} = ${item.id}`;
  if (removed === 0) throw new InvalidTransitionError(`The group ${group.name} does not have the ${input.kind} “${item.name}”`);
  return { action: `group.${input.kind}_revoked`, targetType: "group", targetId: group.id, changes: { [input.kind]: { before: reference(item), after: null } } };
}
