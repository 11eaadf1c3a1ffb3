import type { TDatabaseOrTransaction } from "@/server/db/client";
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
