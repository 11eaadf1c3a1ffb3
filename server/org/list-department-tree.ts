import type { TDatabase } from "@/server/db/client";

export type TDepartmentHead = { id: string; fullName: string };

export type TDepartmentNode = {
  id: string;
  name: string;
  kind: "regular" | "departed";
  /** Members directly in this department. */
  memberCount: number;
  /** Memberships in this department and every sub-department (a member in two of them counts twice). */
  subtreeMemberCount: number;
  /** Its heads, by name. */
  heads: TDepartmentHead[];
  children: TDepartmentNode[];
};

type TRow = { id: bigint; parent_id: bigint | null; name: string; kind: string; member_count: bigint; heads: TDepartmentHead[] };

function sumSubtree(node: TDepartmentNode): number {
  node.subtreeMemberCount = node.memberCount + node.children.reduce((sum, child) => sum + sumSubtree(child), 0);
  return node.subtreeMemberCount;
}

/** The tenant's department tree with member counts and heads, in one query; Departed comes last. */
export async function listDepartmentTree(db: TDatabase, tenantId: bigint): Promise<TDepartmentNode[]> {
  const rows = await db.$queryRaw<TRow[]>`
    WITH counted AS (
      SELECT d.id, d.parent_id, d.name, d.kind, count(dm.user_id) AS member_count
      FROM departments d
      LEFT JOIN department_members dm ON dm.department_id = d.id
      WHERE d.tenant_id = ${tenantId}
      GROUP BY d.id
    ), heads AS (
      SELECT dm.department_id, json_agg(json_build_object('id', u.id::text, 'fullName', u.full_name) ORDER BY lower(u.full_name), u.id) AS heads
      FROM counted c
      JOIN department_members dm ON dm.department_id = c.id AND dm.is_head
      JOIN users u ON u.id = dm.user_id AND u.deleted_at IS NULL
      GROUP BY dm.department_id
    )
    SELECT c.*, coalesce(h.heads, '[]'::json) AS heads
    FROM counted c LEFT JOIN heads h ON h.department_id = c.id
    ORDER BY c.kind = 'departed', lower(c.name)`;
  const nodes = new Map<bigint, TDepartmentNode>();
  for (const row of rows) {
    nodes.set(row.id, {
      id: row.id.toString(),
      name: row.name,
      kind: row.kind === "departed" ? "departed" : "regular",
      memberCount: Number(row.member_count),
      subtreeMemberCount: 0,
      heads: row.heads,
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
