import type { TDatabase } from "@/server/db/client";

// The permission inheritance matrix (issue 12, item 6): departments in tree
// order × roles, sparse. A cell is direct (the department's own grant, for it
// alone or its subtree) and/or inherited (an ancestor's subtree grant reaches
// it). Read from department_closure, so the cost follows the grants, not the
// tree's depth: three indexed queries at 1,000 departments × 500 roles.

export type TMatrixDepartment = { id: string; name: string; parentId: string | null; depth: number; path: string[]; };
export type TMatrixRole = { id: string; name: string };
export type TMatrixCell = {
  departmentId: string;
  roleId: string;
  /** The department's own grant, or null. */
  direct: { subtree: boolean } | null;
  /** Ancestors whose subtree grant reaches this department, nearest first. */
  inheritedFrom: string[];
};
export type TInheritanceMatrix = { departments: TMatrixDepartment[]; roles: TMatrixRole[]; cells: TMatrixCell[] };

export async function loadInheritanceMatrix(db: TDatabase, tenantId: bigint): Promise<TInheritanceMatrix> {
  const [departments, roles, cells] = await Promise.all([
    db.$queryRaw<{ id: bigint; name: string; parent_id: bigint | null; depth: number; path: string[] }[]>`
      SELECT d.id, d.name, d.parent_id,
             (count(*) - 1)::int AS depth,
             array_agg(a.name ORDER BY c.depth DESC) AS path,
             -- Siblings by name (then id), each followed by its subtree.
             array_agg(lower(a.name) || chr(1) || a.id::text ORDER BY c.depth DESC) AS sort_key
      FROM departments d
      JOIN department_closure c ON c.descendant_id = d.id
      JOIN departments a ON a.id = c.ancestor_id
      -- Departed is left out: it can hold no grant (department-grants.ts), nor inherit one (it has no parent).
      WHERE d.tenant_id = ${tenantId} AND d.kind <> 'departed'
      GROUP BY d.id
      ORDER BY sort_key`,
    db.$queryRaw<{ id: bigint; name: string }[]>`SELECT id, name FROM roles WHERE tenant_id = ${tenantId} ORDER BY lower(name), id`,
    db.$queryRaw<{ department_id: bigint; role_id: bigint; direct_subtree: boolean | null; inherited_from: bigint[] }[]>`
      SELECT c.descendant_id AS department_id, dr.role_id,
             bool_or(dr.subtree) FILTER (WHERE c.depth = 0) AS direct_subtree,
             coalesce(array_agg(c.ancestor_id ORDER BY c.depth) FILTER (WHERE c.depth > 0), '{}') AS inherited_from
      FROM department_roles dr
      JOIN departments g ON g.id = dr.department_id AND g.tenant_id = ${tenantId}
      JOIN department_closure c ON c.ancestor_id = dr.department_id AND (c.depth = 0 OR dr.subtree)
      GROUP BY c.descendant_id, dr.role_id`,
  ]);
  return {
    departments: departments.map((row) => ({
      id: row.id.toString(),
      name: row.name,
      parentId: row.parent_id?.toString() ?? null,
      depth: row.depth,
      path: row.path,
    })),
    roles: roles.map((row) => ({ id: row.id.toString(), name: row.name })),
    cells: cells.map((row) => ({
      departmentId: row.department_id.toString(),
      roleId: row.role_id.toString(),
      direct: row.direct_subtree === null ? null : { subtree: row.direct_subtree },
      inheritedFrom: row.inherited_from.map((id) => id.toString()),
    })),
  };
}
