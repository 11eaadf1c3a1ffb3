import type { TDatabase } from "@/server/db/client";

export type TDepartmentNode = { id: string; name: string; memberCount: number; children: TDepartmentNode[] };

/** The tenant's department tree with direct member counts, in one query. */
export async function listDepartmentTree(db: TDatabase, tenantId: bigint): Promise<TDepartmentNode[]> {
  const rows = await db.$queryRaw<{ id: bigint; parent_id: bigint | null; name: string; member_count: bigint }[]>`
    SELECT d.id, d.parent_id, d.name, count(dm.user_id) AS member_count
    FROM departments d
    LEFT JOIN department_members dm ON dm.department_id = d.id
    WHERE d.tenant_id = ${tenantId}
    GROUP BY d.id
    ORDER BY d.name`;
  const nodes = new Map<bigint, TDepartmentNode>();
  for (const row of rows) nodes.set(row.id, { id: row.id.toString(), name: row.name, memberCount: Number(row.member_count), children: [] });
  const roots: TDepartmentNode[] = [];
  for (const row of rows) {
    const node = nodes.get(row.id)!;
    const parent = row.parent_id === null ? undefined : nodes.get(row.parent_id);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}
