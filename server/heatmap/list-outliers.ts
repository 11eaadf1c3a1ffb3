import { Prisma } from "@/server/db/generated/client";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { accessPathsOf, describeAccessPath } from "@/server/access/access-paths";
import { OUTLIER_MAX_HOLDERS, OUTLIER_MAX_SHARE } from "@/server/heatmap/outlier-rule";
import type { TOutliersInput } from "@/server/heatmap/schemas";

// Members holding a permission that almost nobody else in their department
// holds (outlier-rule.ts), with the paths that give it to them: the
// administrator's list of grants to question. Cells come from the same
// trigger-kept counts as the heatmap, so both always agree.

/** Enough to act on; more than this says the threshold or the grants need a wider look first. */
export const OUTLIERS_LIMIT = 500;

export type TOutlier = {
  department: { id: string; name: string };
  policy: { id: string; permission: string; name: string };
  holders: number;
  members: number;
  holdersList: { id: string; fullName: string; paths: string[] }[];
};

type TCellRow = { department_id: bigint; department_name: string; policy_id: bigint; permission: string; policy_name: string; holders: number; members: number };

export async function listOutliers(db: TDatabaseOrTransaction, tenantId: bigint, input: TOutliersInput = {}): Promise<{ items: TOutlier[]; truncated: boolean }> {
  const departmentId = input.departmentId ? BigInt(input.departmentId) : null;
  if (departmentId !== null && !(await db.department.findFirst({ where: { id: departmentId, tenantId }, select: { id: true } }))) {
    throw new NotFoundError("Department not found");
  }
  const onlyDepartment = departmentId === null ? Prisma.empty : Prisma.sql`AND d.id = ${departmentId}`;
  // Per department, in index order (as the heatmap reads them): no hash of every cell of the organisation.
  const cells = await db.$queryRaw<TCellRow[]>`
    SELECT d.id AS department_id, d.name AS department_name, x.policy_id, p.permission, p.name AS policy_name, x.holders, m.members
    FROM departments d
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(c.holders), 0)::int AS members FROM department_access_counts c WHERE c.department_id = d.id AND c.policy_id = 0
    ) m
    CROSS JOIN LATERAL (
      SELECT c.policy_id, sum(c.holders)::int AS holders FROM department_access_counts c
      WHERE c.department_id = d.id AND c.policy_id <> 0
      GROUP BY c.policy_id HAVING sum(c.holders) BETWEEN 1 AND ${OUTLIER_MAX_HOLDERS}
    ) x
    JOIN policies p ON p.id = x.policy_id AND p.tenant_id = ${tenantId}
    WHERE d.tenant_id = ${tenantId} ${onlyDepartment} AND x.holders <= ${OUTLIER_MAX_SHARE}::numeric * m.members
    ORDER BY lower(d.name), d.id, p.permission, p.id
    LIMIT ${OUTLIERS_LIMIT + 1}`;
  const shown = cells.slice(0, OUTLIERS_LIMIT);
  if (shown.length === 0) return { items: [], truncated: false };

  const holders = await db.$queryRaw<{ department_id: bigint; policy_id: bigint; id: bigint; full_name: string }[]>`
    SELECT c.department_id, c.policy_id, u.id, u.full_name
    FROM unnest(${shown.map((cell) => cell.department_id)}::bigint[], ${shown.map((cell) => cell.policy_id)}::bigint[]) AS c(department_id, policy_id)
    JOIN department_members dm ON dm.department_id = c.department_id
    JOIN member_access ma ON ma.user_id = dm.user_id AND ma.kind = 3 AND ma.item_id = c.policy_id
    JOIN users u ON u.id = dm.user_id AND u.tenant_id = ${tenantId}
    ORDER BY u.id`;
  const paths = await accessPathsOf(db, tenantId, [...new Set(holders.map((row) => row.id))], {
    kind: "permission",
    itemIds: [...new Set(shown.map((cell) => cell.policy_id))],
  });
  const pathsOf = (memberId: bigint, policyId: bigint) =>
    paths.filter((path) => path.memberId === memberId.toString() && path.itemId === policyId.toString()).map(describeAccessPath);

  return {
    items: shown.map((cell) => ({
      department: { id: cell.department_id.toString(), name: cell.department_name },
      policy: { id: cell.policy_id.toString(), permission: cell.permission, name: cell.policy_name },
      holders: cell.holders,
      members: cell.members,
      holdersList: holders
        .filter((row) => row.department_id === cell.department_id && row.policy_id === cell.policy_id)
        .map((row) => ({ id: row.id.toString(), fullName: row.full_name, paths: pathsOf(row.id, cell.policy_id) })),
    })),
    truncated: cells.length > OUTLIERS_LIMIT,
  };
}
