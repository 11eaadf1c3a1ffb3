import { Prisma } from "@/server/db/generated/client";
import type { TDatabaseOrTransaction, TDatabase } from "@/server/db/client";
import { inTransaction } from "@/server/db/in-transaction";
import { creationChanges, diffFields, recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { tablesOf } from "@/server/access/catalog-tables";
import {
  ZAccessItemCreate,
  ZAccessItemRef,
  ZAccessItemUpdate,
  type TAccessItemCreateInput,
  type TAccessItemUpdateInput,
  type TAccessKind,
} from "@/server/access/schemas";
import { ConflictError, NotFoundError, violatedUniqueIndex } from "@/server/errors";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import { accessTotalsChange, applyAuditingAccess } from "@/server/access-changes/apply-access-change";
import type { z } from "zod";

/** The effective-access kind a deleted item was held as (groups are paths, not items). */
const EFFECTIVE_KIND: Record<TAccessKind, 1 | 2 | 3 | null> = { role: 1, application: 2, policy: 3, group: null };

export type TCatalogItem = { id: bigint; name: string; description: string | null; permission: string | null };

const permissionColumn = (kind: TAccessKind) => (kind === "policy" ? Prisma.sql`permission` : Prisma.sql`NULL::text AS permission`);

function asCatalogConflict(kind: TAccessKind, error: unknown): unknown {
  const index = violatedUniqueIndex(error);
  if (index === null) return error;
  if (index === "policies_tenant_id_permission_key") {
    return new ConflictError("A policy with this permission exists", { permission: ["A policy with this permission exists"] });
  }
  const message = `A ${tablesOf(kind).label} with this name exists`;
  return new ConflictError(message, { name: [message] });
}

/** A catalogue item of this tenant, or NotFound: ids of another tenant never resolve. */
export async function findCatalogItem(db: TDatabaseOrTransaction, tenantId: bigint, kind: TAccessKind, itemId: bigint | string): Promise<TCatalogItem> {
  const [item] = await db.$queryRaw<TCatalogItem[]>`
    SELECT id, name, description, ${permissionColumn(kind)} FROM ${tablesOf(kind).tableSql}
    WHERE id = ${BigInt(itemId)} AND tenant_id = ${tenantId}`;
  if (!item) throw new NotFoundError(`This ${tablesOf(kind).label} does not exist`);
  return item;
}

export async function createCatalogItem(db: TDatabaseOrTransaction, actor: TActor, rawInput: TAccessItemCreateInput): Promise<TCatalogItem> {
  const input = ZAccessItemCreate.parse(rawInput);
  const { tableSql, label } = tablesOf(input.kind);
  try {
    return await inTransaction(db, async (tx) => {
      const [item] = input.kind === "policy"
        ? await tx.$queryRaw<TCatalogItem[]>`
            INSERT INTO policies (tenant_id, name, description, permission) VALUES (${actor.tenantId}, ${input.name}, ${input.description ?? null}, ${input.permission})
            RETURNING id, name, description, permission`
        : await tx.$queryRaw<TCatalogItem[]>`
            INSERT INTO ${tableSql} (tenant_id, name, description) VALUES (${actor.tenantId}, ${input.name}, ${input.description ?? null})
            RETURNING id, name, description, NULL::text AS permission`;
      const values = { name: item!.name, description: item!.description, permission: item!.permission };
      await recordAuditEvent(tx, actor, { action: `${label}.created`, targetType: label, targetId: item!.id, changes: creationChanges(values) });
      return item!;
    });
  } catch (error) {
    throw asCatalogConflict(input.kind, error);
  }
}

export async function updateCatalogItem(db: TDatabaseOrTransaction, actor: TActor & TStepUpSession, rawInput: TAccessItemUpdateInput): Promise<TCatalogItem> {
  const input = ZAccessItemUpdate.parse(rawInput);
  const { tableSql, label } = tablesOf(input.kind);
  try {
    return await inTransaction(db, async (tx) => {
      const current = await findCatalogItem(tx, actor.tenantId, input.kind, input.itemId);
      const next = { name: input.name, description: input.description ?? null, permission: input.kind === "policy" ? (input.permission ?? null) : null };
      const changes = diffFields(current, next);
      if (Object.keys(changes).length === 0) return current;
      // A policy's permission is what every holder (and every role carrying it) is granted: changing it is a grant.
      if ("permission" in changes) await assertStepUp(tx, actor, "access.policy_permission");
      const permission = input.kind === "policy" ? Prisma.sql`, permission = ${next.permission}` : Prisma.empty;
      await tx.$executeRaw`
        UPDATE ${tableSql} SET name = ${next.name}, description = ${next.description}, updated_at = now() ${permission} WHERE id = ${current.id}`;
      await recordAuditEvent(tx, actor, { action: `${label}.updated`, targetType: label, targetId: current.id, changes });
      return { ...current, ...next };
    });
  } catch (error) {
    throw asCatalogConflict(input.kind, error);
  }
}

/** Deletes an item and, with it, every grant of it (the audit event says how many). */
export async function deleteCatalogItem(db: TDatabaseOrTransaction, actor: TActor & TStepUpSession, rawInput: z.input<typeof ZAccessItemRef>): Promise<{ revokedGrants: number }> {
  const input = ZAccessItemRef.parse(rawInput);
  // Deleting a role or policy revokes it from every holder (and a role's policies with it).
  if (input.kind === "role" || input.kind === "policy") await assertStepUp(db, actor, "access.delete");
  const { tableSql, grantsSql, columnSql, label } = tablesOf(input.kind);
  return inTransaction(db, 
    async (tx) => {
      const current = await findCatalogItem(tx, actor.tenantId, input.kind, input.itemId);
      const [grants] = await tx.$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM ${grantsSql} WHERE ${columnSql} = ${current.id}`;
      const revokedGrants = Number(grants?.count ?? 0);
      // Holders through departments and groups lose it too: each affected member gets a member.access_changed event.
      const removedKind = EFFECTIVE_KIND[input.kind];
      await applyAuditingAccess(
        tx,
        actor,
        { action: `${label}.deleted`, targetType: label, targetId: current.id },
        () => tx.$executeRaw`DELETE FROM ${tableSql} WHERE id = ${current.id}`,
        async (_deleted, changes) => {
          await recordAuditEvent(tx, actor, {
            action: `${label}.deleted`,
            targetType: label,
            targetId: current.id,
            changes: { name: { before: current.name, after: null }, grants: { before: revokedGrants, after: 0 }, ...accessTotalsChange(changes) },
          });
        },
        removedKind ? { removed: { kind: removedKind, id: current.id, name: current.permission ?? current.name } } : {},
      );
      return { revokedGrants };
    },
    { timeout: 120_000 },
  );
}

/** Every item of one kind with how many members hold it (and, for roles, their policies). */
export async function listCatalog(db: TDatabase, tenantId: bigint, kind: TAccessKind) {
  const { tableSql, grantsSql, columnSql } = tablesOf(kind);
  const rows = await db.$queryRaw<(TCatalogItem & { member_count: bigint; policies: { id: string; name: string; permission: string }[] | null })[]>`
    SELECT t.id, t.name, t.description, ${kind === "policy" ? Prisma.sql`t.permission` : Prisma.sql`NULL::text AS permission`},
      (SELECT count(*) FROM ${grantsSql} g WHERE g.${columnSql} = t.id) AS member_count,
      ${
        kind === "role"
          ? Prisma.sql`(SELECT json_agg(json_build_object('id', p.id::text, 'name', p.name, 'permission', p.permission) ORDER BY p.permission)
                        FROM role_policies rp JOIN policies p ON p.id = rp.policy_id WHERE rp.role_id = t.id)`
          : Prisma.sql`NULL::json`
      } AS policies
    FROM ${tableSql} t WHERE t.tenant_id = ${tenantId} ORDER BY lower(t.name)`;
  return rows.map((row) => ({
    id: row.id.toString(),
    name: row.name,
    description: row.description,
    permission: row.permission,
    memberCount: Number(row.member_count),
    policies: row.policies ?? [],
  }));
}
