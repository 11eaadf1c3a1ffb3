import type { TDatabaseOrTransaction, TTransaction } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";

/** A department of this tenant, or NotFound: ids from another tenant never resolve. */
export async function findDepartment(db: TDatabaseOrTransaction, tenantId: bigint, departmentId: bigint | string) {
  const department = await db.department.findFirst({
    where: { id: BigInt(departmentId), tenantId },
    select: { id: true, name: true, parentId: true, kind: true },
  });
  if (!department) throw new NotFoundError("Department not found");
  return department;
}

type TDepartmentRow = { id: bigint; name: string; parent_id: bigint | null; kind: string };

/**
 * As findDepartment, holding a row lock until the transaction ends. Whoever
 * adds a member takes "key share"; deleting takes "update". So a delete that
 * found the department empty cannot be joined meanwhile (the join then finds
 * no department), and a join in progress makes the delete wait and count it.
 */
export async function lockDepartment(tx: TTransaction, tenantId: bigint, departmentId: bigint | string, mode: "key share" | "update") {
  const id = BigInt(departmentId);
  const rows =
    mode === "update"
      ? await tx.$queryRaw<TDepartmentRow[]>`SELECT id, name, parent_id, kind FROM departments WHERE id = ${id} AND tenant_id = ${tenantId} FOR UPDATE`
      : await tx.$queryRaw<TDepartmentRow[]>`SELECT id, name, parent_id, kind FROM departments WHERE id = ${id} AND tenant_id = ${tenantId} FOR KEY SHARE`;
  const row = rows[0];
  if (!row) throw new NotFoundError("Department not found");
  return { id: row.id, name: row.name, parentId: row.parent_id, kind: row.kind };
}

/** How audit events name a department: its id and its name at the time. */
export function departmentReference(department: { id: bigint; name: string }): { id: string; name: string } {
  return { id: department.id.toString(), name: department.name };
}
