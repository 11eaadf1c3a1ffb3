import { Prisma } from "@/server/db/generated/client";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { isOutlierCell, OUTLIER_MAX_HOLDERS, OUTLIER_MAX_SHARE } from "@/server/heatmap/outlier-rule";
import { packCells, type THeatmapCell } from "@/server/heatmap/packed-cells";
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


export type TDepartmentHeatmap = {
  departments: THeatmapDepartment[];
  permissions: THeatmapPermission[];
  /** Only cells with holders, row by row, packed (packed-cells.ts: unpackCells reads them). */
  cells: string;
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
    // One row per department, its cells as "policyId:holders,…": each department's deltas are summed
    // in index order (a small GroupAggregate, never one hash of every cell), and 500,000 cells cross
    // the wire as 1,000 strings instead of 500,000 rows (row decoding, not SQL, was the cost).
    db.$queryRaw<{ department_id: bigint; cells: string | null }[]>`
      SELECT d.id AS department_id, s.cells
      FROM departments d
      CROSS JOIN LATERAL (
        SELECT string_agg(x.policy_id || ':' || x.holders, ',') AS cells
        FROM (
          SELECT c.policy_id, sum(c.holders) AS holders FROM department_access_counts c
          WHERE c.department_id = d.id
          GROUP BY c.policy_id HAVING sum(c.holders) <> 0
        ) x
      ) s
      WHERE d.tenant_id = ${tenantId} ${inSubtree}`,
  ]);

  const departmentIndex = new Map(departmentRows.map((row, index) => [row.id, index]));
  const permissionIndex = new Map(permissionRows.map((row, index) => [row.id.toString(), index]));
  const members = new Array<number>(departmentRows.length).fill(0);
  const permissionsHeld = new Array<number>(departmentRows.length).fill(0);
  const holdings = new Array<number>(departmentRows.length).fill(0);
  const heldByRow: [number, number][][] = departmentRows.map(() => []);
  for (const sum of sums) {
    const row = departmentIndex.get(sum.department_id);
    if (row === undefined || sum.cells === null) continue;
    const held = heldByRow[row]!;
    for (const pair of sum.cells.split(",")) {
      const colon = pair.indexOf(":");
      const policyId = pair.slice(0, colon);
      const holders = Number(pair.slice(colon + 1));
      if (policyId === "0") members[row] = holders;
      const column = permissionIndex.get(policyId);
      if (column !== undefined && holders > 0) held.push([column, holders]);
    }
  }
  // Row by row, each row by column: the same order whatever order the database answered in.
  const cells: THeatmapCell[] = [];
  heldByRow.forEach((held, row) => {
    held.sort((a, b) => a[0] - b[0]);
    for (const [column, holders] of held) {
      permissionsHeld[row]! += 1;
      holdings[row]! += holders;
      cells.push([row, column, holders, isOutlierCell(holders, members[row]!) ? 1 : 0]);
    }
  });

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
    cells: packCells(cells),
    outlierRule: { maxHolders: OUTLIER_MAX_HOLDERS, maxShare: OUTLIER_MAX_SHARE },
  };
}
