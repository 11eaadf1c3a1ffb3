import type { TDatabase } from "@/server/db/client";

export type TDepartmentNode = {
  id: string;
  name: string;
  kind: "regular" | "departed";
  /** Members directly in this department. */
  memberCount: number;
  /** Memberships in this department and every sub-department (a member in two of them counts twice). */
  subtreeMemberCount: number;
  children: TDepartmentNode[];
};

function sumSubtree(node: TDepartmentNode): number {
  node.subtreeMemberCount = node.memberCount + node.children.reduce((sum, child) => sum + sumSubtree(child), 0);
  return node.subtreeMemberCount;
}

/** The tenant's department tree with member counts, in one query; Departed comes last. */
export async function listDepartmentTree(db: TDatabase, tenantId: bigint): Promise<TDepartmentNode[]> {
  const rows = await db.$queryRaw<{ id: bigint; parent_id: bigint | null; name: string; kind: string; member_count: bigint }[]>`
    SELECT d.id, d.parent_id, d.name, d.kind, count(dm.user_id) AS member_count
    FROM departments d
    LEFT JOIN department_members dm ON dm.department_id = d.id
    WHERE d.tenant_id = ${tenantId}
    GROUP BY d.id
    ORDER BY d.kind = 'departed', lower(d.name)`;
  const nodes = new Map<bigint, TDepartmentNode>();
  for (const row of rows) {
    nodes.set(row.id, {
      id: row.id.toString(),
      name: row.name,
      kind: row.kind === "departed" ? "departed" : "regular",
      memberCount: Number(row.member_count),
      subtreeMemberCount: 0,
      children: [],
    });
  }
  const roots: TDepartmentNode[] = [];
  for (const row of rows) {
    const node = nodes.get(row.id)!;
    const parent = row.parent_id === null ? undefined : nodes.get(row.parent_id);
    (parent ? parent.children : roots).push(node);
  }
  for (const root of roots) sumSubtree(root);
  return roots;
}
