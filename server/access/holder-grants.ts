import type { TDatabase } from "@/server/db/client";
import { findCatalogItem } from "@/server/access/manage-catalog";
import { findDepartment } from "@/server/org/find-department";
import type { TInheritableKind } from "@/server/access/grant-schemas";

// What a department or a group is granted, for their pages: a department's
// own grants and those its ancestors' subtree grants give it.

export type TDepartmentGrant = {
  kind: TInheritableKind;
  itemId: string;
  name: string;
  /** The department's own grant, or null. */
  direct: { subtree: boolean; grantedAt: Date } | null;
  /** Ancestors whose subtree grant reaches it, nearest first. */
  inheritedFrom: { id: string; name: string }[];
};

type TRow = { kind: TInheritableKind; item_id: bigint; name: string; depth: number; subtree: boolean; granted_at: Date; from_id: bigint; from_name: string };

export async function listDepartmentGrants(db: TDatabase, tenantId: bigint, departmentId: string): Promise<TDepartmentGrant[]> {
  const department = await findDepartment(db, tenantId, departmentId);
  const rows = await db.$queryRaw<TRow[]>`
    SELECT g.kind, g.item_id, g.name, c.depth, g.subtree, g.granted_at, a.id AS from_id, a.name AS from_name
    FROM department_closure c
    JOIN departments a ON a.id = c.ancestor_id
    JOIN (
      SELECT 'role' AS kind, dr.department_id, dr.role_id AS item_id, r.name, dr.subtree, dr.granted_at
      FROM department_roles dr JOIN roles r ON r.id = dr.role_id
      UNION ALL
      SELECT 'application', da.department_id, da.application_id, x.name, da.subtree, da.granted_at
      FROM department_applications da JOIN applications x ON x.id = da.application_id
    ) g ON g.department_id = c.ancestor_id AND (c.depth = 0 OR g.subtree)
    WHERE c.descendant_id = ${department.id}
    ORDER BY g.kind DESC, lower(g.name), g.item_id, c.depth`;
  const grants = new Map<string, TDepartmentGrant>();
  for (const row of rows) {
    const key = `${row.kind}:${row.item_id}`;
    let grant = grants.get(key);
    if (!grant) grants.set(key, (grant = { kind: row.kind, itemId: row.item_id.toString(), name: row.name, direct: null, inheritedFrom: [] }));
    if (row.depth === 0) grant.direct = { subtree: row.subtree, grantedAt: row.granted_at };
    else grant.inheritedFrom.push({ id: row.from_id.toString(), name: row.from_name });
  }
  return [...grants.values()];
}

export type TGroupGrant = { kind: TInheritableKind; itemId: string; name: string; grantedAt: Date };

export async function listGroupGrants(db: TDatabase, tenantId: bigint, groupId: string): Promise<TGroupGrant[]> {
  const group = await findCatalogItem(db, tenantId, "group", groupId);
  const rows = await db.$queryRaw<{ kind: TInheritableKind; item_id: bigint; name: string; granted_at: Date }[]>`
    SELECT 'role' AS kind, gr.role_id AS item_id, r.name, gr.granted_at FROM group_roles gr JOIN roles r ON r.id = gr.role_id WHERE gr.group_id = ${group.id}
    UNION ALL
    SELECT 'application', ga.application_id, x.name, ga.granted_at FROM group_applications ga JOIN applications x ON x.id = ga.application_id WHERE ga.group_id = ${group.id}
    ORDER BY 1 DESC, 3`;
  return rows.map((row) => ({ kind: row.kind, itemId: row.item_id.toString(), name: row.name, grantedAt: row.granted_at }));
}
