import type { TDatabase } from "@/server/db/client";
import { LISTED_MEMBER_SQL } from "@/server/members/member-filters";

export type TDepartmentHead = { id: string; fullName: string };

export type TDepartmentNode = {
  id: string;
  name: string;
  kind: "regular" | "departed";
  /** Listed members (not deleted, not archived) directly in this department. */
  memberCount: number;
  /** Distinct listed members in this department and its sub-departments: what the member list shows for it. */
  subtreeMemberCount: number;
  /** Its heads, by name. */
  heads: TDepartmentHead[];
  children: TDepartmentNode[];
};

type TRow = {
  id: bigint;
  parent_id: bigint | null;
  name: string;
  kind: string;
  member_count: bigint;
  subtree_member_count: bigint;
  heads: TDepartmentHead[];
};

/**
 * The tenant's department tree with member counts and heads, in one query; Departed comes last.
 * Counts use the member list's own definitions (LISTED_MEMBER_SQL, membership in department_members,
 * sub-departments included), so a department's count is the list's total for that department; the
 * direct counts and the members in several departments are kept by triggers, so no membership is scanned.
 */
export async function listDepartmentTree(db: TDatabase, tenantId: bigint): Promise<TDepartmentNode[]> {
  const rows = await db.$queryRaw<TRow[]>`
    WITH RECURSIVE closure AS (
      SELECT id AS ancestor_id, id AS department_id FROM departments WHERE tenant_id = ${tenantId}
      UNION ALL
      SELECT c.ancestor_id, d.id FROM departments d JOIN closure c ON d.parent_id = c.department_id
    ), direct AS (
      -- Deltas kept by triggers (migrations department_counts, department_count_deltas), folded
      -- every minute: a few rows per department, no scan of the memberships.
      SELECT c.department_id, sum(c.listed_members) AS n
      FROM department_member_counts c JOIN departments d ON d.id = c.department_id AND d.tenant_id = ${tenantId}
      GROUP BY c.department_id HAVING sum(c.listed_members) > 0
    ), repeated AS (
      -- Members in more than one department (few, noted by the same triggers): a subtree
      -- holding two of their departments must count them once, as the list does.
      SELECT dm.department_id, dm.user_id
      FROM multi_department_members m
      JOIN users u ON u.id = m.user_id AND ${LISTED_MEMBER_SQL}
      JOIN department_members dm ON dm.user_id = m.user_id
      WHERE m.tenant_id = ${tenantId}
    ), overcount AS (
      SELECT c.ancestor_id, count(*) - count(DISTINCT r.user_id) AS n
      FROM closure c JOIN repeated r ON r.department_id = c.department_id
      GROUP BY c.ancestor_id
    ), subtree AS (
      SELECT c.ancestor_id, sum(direct.n) - coalesce(max(overcount.n), 0) AS n
      FROM closure c
      JOIN direct ON direct.department_id = c.department_id
      LEFT JOIN overcount ON overcount.ancestor_id = c.ancestor_id
      GROUP BY c.ancestor_id
    ), counted AS (
      SELECT d.id, d.parent_id, d.name, d.kind, coalesce(direct.n, 0) AS member_count, coalesce(subtree.n, 0) AS subtree_member_count
      FROM departments d
      LEFT JOIN direct ON direct.department_id = d.id
      LEFT JOIN subtree ON subtree.ancestor_id = d.id
      WHERE d.tenant_id = ${tenantId}
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
      subtreeMemberCount: Number(row.subtree_member_count),
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
  return roots;
}
