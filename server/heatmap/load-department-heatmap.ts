import { Prisma } from "@/server/db/generated/client";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { isOutlierCell, OUTLIER_MAX_HOLDERS, OUTLIER_MAX_SHARE } from "@/server/heatmap/outlier-rule";
import type { TDepartmentHeatmapInput } from "@/server/heatmap/schemas";

// Departments × permissions, read from the counts the access triggers keep
// (department_access_counts: insert-only deltas, folded every minute), never
// from the memberships: the whole organisation is a GROUP BY over at most one
// row per cell plus the deltas since the last fold, whatever the member count.

export type THeatmapDepartment = {
  id: string;
  name: string;
  /** Names from the root down to this department. */
  path: string[];
  depth: number;
  parentId: string | null;
  /** Direct members who can sign in: each cell's denominator. */
  members: number;
  /** Row totals: permissions held by someone here, and holdings (member × permission) in the row. */
  permissionsHeld: number;
  holdings: number;
};

export type THeatmapPermission = { id: string; permission: string; name: string };

/** [department index, permission index, holders, 1 when an outlier cell]: only cells with holders are sent. */
export type THeatmapCell = [number, number, number, 0 | 1];

export type TDepartmentHeatmap = {
  departments: THeatmapDepartment[];
  permissions: THeatmapPermission[];
  cells: THeatmapCell[];
  outlierRule: { maxHolders: number; maxShare: number };
};

type TDepartmentRow = { id: bigint; name: string; parent_id: bigint | null; depth: number; path: string[] };

export async function loadDepartmentHeatmap(
  db: TDatabaseOrTransaction,
  tenantId: bigint,
  options: TDepartmentHeatmapInput = {},
): Promise<TDepartmentHeatmap> {
  const root = options.subtreeOf ? BigInt(options.subtreeOf) : null;
  if (root !== null && !(await db.department.findFirst({ where: { id: root, tenantId }, select: { id: true } }))) {
    throw new NotFoundError("Department not found");
  }
  const inSubtree = root === null ? Prisma.empty : Prisma.sql`AND d.id IN (SELECT descendant_id FROM department_closure WHERE ancestor_id = ${root})`;
  const text = options.permissionContains ? `%${options.permissionContains.replace(/[\\%_]/g, "\\$&")}%` : null;
  const matching = text === null ? Prisma.empty : Prisma.sql`AND (p.permission ILIKE ${text} OR p.name ILIKE ${text})`;

  const [departmentRows, permissionRows, sums] = await Promise.all([
    db.$queryRaw<TDepartmentRow[]>`
      SELECT d.id, d.name, d.parent_id, max(c.depth)::int AS depth,
             array_agg(a.name::text ORDER BY c.depth DESC) AS path
      FROM departments d
      JOIN department_closure c ON c.descendant_id = d.id
      JOIN departments a ON a.id = c.ancestor_id
      WHERE d.tenant_id = ${tenantId} ${inSubtree}
      GROUP BY d.id
      ORDER BY array_agg(lower(a.name) ORDER BY c.depth DESC), d.id`,
    db.$queryRaw<{ id: bigint; permission: string; name: string }[]>`
      SELECT p.id, p.permission, p.name FROM policies p
      WHERE p.tenant_id = ${tenantId} ${matching}
      ORDER BY p.permission, p.id`,
    db.$queryRaw<{ department_id: bigint; policy_id: bigint; holders: number }[]>`
      SELECT c.department_id, c.policy_id, sum(c.holders)::int AS holders
      FROM department_access_counts c
      JOIN departments d ON d.id = c.department_id
      WHERE d.tenant_id = ${tenantId} ${inSubtree}
      GROUP BY c.department_id, c.policy_id
      HAVING sum(c.holders) <> 0`,
  ]);

  const departmentIndex = new Map(departmentRows.map((row, index) => [row.id, index]));
  const permissionIndex = new Map(permissionRows.map((row, index) => [row.id, index]));
  const members = new Array<number>(departmentRows.length).fill(0);
  for (const sum of sums) {
    if (sum.policy_id === 0n) members[departmentIndex.get(sum.department_id)!] = sum.holders;
  }
  const permissionsHeld = new Array<number>(departmentRows.length).fill(0);
  const holdings = new Array<number>(departmentRows.length).fill(0);
  const cells: THeatmapCell[] = [];
  for (const sum of sums) {
    const row = departmentIndex.get(sum.department_id);
    const column = permissionIndex.get(sum.policy_id);
    if (row === undefined || column === undefined || sum.holders <= 0) continue;
    permissionsHeld[row]! += 1;
    holdings[row]! += sum.holders;
    cells.push([row, column, sum.holders, isOutlierCell(sum.holders, members[row]!) ? 1 : 0]);
  }
  cells.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

  return {
    departments: departmentRows.map((row, index) => ({
      id: row.id.toString(),
      name: row.name,
      path: row.path,
      depth: row.depth,
      parentId: row.parent_id?.toString() ?? null,
      members: members[index]!,
      permissionsHeld: permissionsHeld[index]!,
      holdings: holdings[index]!,
    })),
    permissions: permissionRows.map((row) => ({ id: row.id.toString(), permission: row.permission, name: row.name })),
    cells,
    outlierRule: { maxHolders: OUTLIER_MAX_HOLDERS, maxShare: OUTLIER_MAX_SHARE },
  };
}
