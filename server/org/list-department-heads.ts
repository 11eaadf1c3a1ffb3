import type { TDatabase } from "@/server/db/client";
import { findDepartment } from "@/server/org/find-department";
import { ZDepartmentQuery } from "@/server/org/schemas";
import type { z } from "zod";

/** The heads of one department of this tenant, by name. */
export async function listDepartmentHeads(db: TDatabase, tenantId: bigint, rawInput: z.input<typeof ZDepartmentQuery>) {
  const input = ZDepartmentQuery.parse(rawInput);
  const department = await findDepartment(db, tenantId, input.departmentId);
  const heads = await db.departmentMember.findMany({
    where: { departmentId: department.id, isHead: true, user: { deletedAt: null } },
    select: { user: { select: { id: true, fullName: true, username: true } } },
    orderBy: [{ user: { fullName: "asc" } }, { userId: "asc" }],
  });
  return heads.map(({ user }) => ({ id: user.id.toString(), fullName: user.fullName, username: user.username }));
}
