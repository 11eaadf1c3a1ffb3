import { z } from "zod";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { accessPathsOf, describeAccessPath } from "@/server/access/access-paths";
import { decodeKeysetCursor, encodeKeysetCursor, ZCursorId } from "@/server/validation/cursor";
import type { TCellHoldersInput } from "@/server/heatmap/schemas";

// A heatmap cell's holders: the department's direct members who hold the
// permission now (member_access, so only members who can sign in), a keyset
// page at a time by member id, each with every path it comes by.

export const CELL_HOLDERS_PAGE = 50;

const ZHoldersCursor = z.tuple([ZCursorId]);

export type TCellHolder = { id: string; fullName: string; username: string; paths: string[] };

export type TCellHolders = {
  department: { id: string; name: string };
  policy: { id: string; permission: string; name: string };
  items: TCellHolder[];
  nextCursor: string | null;
};

export async function listCellHolders(db: TDatabaseOrTransaction, tenantId: bigint, input: TCellHoldersInput): Promise<TCellHolders> {
  const departmentId = BigInt(input.departmentId);
  const policyId = BigInt(input.policyId);
  const after = input.cursor ? BigInt(decodeKeysetCursor(input.cursor, ZHoldersCursor)[0]) : 0n;
  const [department, policy] = await Promise.all([
    db.department.findFirst({ where: { id: departmentId, tenantId }, select: { id: true, name: true } }),
    db.policy.findFirst({ where: { id: policyId, tenantId }, select: { id: true, permission: true, name: true } }),
  ]);
  if (!department) throw new NotFoundError("Department not found");
  if (!policy) throw new NotFoundError("Permission not found");

  const rows = await db.$queryRaw<{ id: bigint; full_name: string; username: string }[]>`
    SELECT u.id, u.full_name, u.username::text AS username
    FROM department_members dm
    JOIN member_access ma ON ma.user_id = dm.user_id AND ma.kind = 3 AND ma.item_id = ${policyId}
    JOIN users u ON u.id = dm.user_id AND u.tenant_id = ${tenantId}
    WHERE dm.department_id = ${departmentId} AND dm.user_id > ${after}
    ORDER BY dm.user_id
    LIMIT ${CELL_HOLDERS_PAGE + 1}`;
  const page = rows.slice(0, CELL_HOLDERS_PAGE);
  const paths = await accessPathsOf(db, tenantId, page.map((row) => row.id), { kind: "permission", itemIds: [policyId] });
  return {
    department: { id: department.id.toString(), name: department.name },
    policy: { id: policy.id.toString(), permission: policy.permission, name: policy.name },
    items: page.map((row) => ({
      id: row.id.toString(),
      fullName: row.full_name,
      username: row.username,
      paths: paths.filter((path) => path.memberId === row.id.toString()).map(describeAccessPath),
    })),
    nextCursor: rows.length > CELL_HOLDERS_PAGE ? encodeKeysetCursor([page.at(-1)!.id.toString()]) : null,
  };
}
