import type { TTransaction } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";

/**
 * Locks a member of this tenant for the rest of the transaction and returns
 * their main department. Every change to a member's departments takes this
 * lock first, so two admins changing the same member run one after the other
 * and each sees the other's result (e.g. no one leaves the department another
 * is making main). Lock order: the member, then the department
 * (lockDepartment), so that two changes never wait for each other in a circle.
 */
export async function lockMemberRow(tx: TTransaction, tenantId: bigint, memberId: bigint) {
  const [member] = await tx.$queryRaw<{ id: bigint; main_department_id: bigint | null }[]>`
    SELECT id, main_department_id FROM users
    WHERE id = ${memberId} AND tenant_id = ${tenantId} AND deleted_at IS NULL
    FOR NO KEY UPDATE`;
  if (!member) throw new NotFoundError("Member not found");
  return { id: member.id, mainDepartmentId: member.main_department_id };
}

/** The member's departments with their kind and whether the member heads them. */
export async function listMemberships(tx: TTransaction, memberId: bigint) {
  const rows = await tx.departmentMember.findMany({
    where: { userId: memberId },
    select: { isHead: true, department: { select: { id: true, name: true, kind: true } } },
    orderBy: { departmentId: "asc" },
  });
  return rows.map((row) => ({ ...row.department, isHead: row.isHead }));
}
