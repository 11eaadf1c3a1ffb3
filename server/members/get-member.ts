import type { TDatabase } from "@/server/db/client";
import { systemRoleName } from "@/server/shared/roles";
import { NotFoundError } from "@/server/errors";
import { memberManagedBy } from "@/server/shared/managed-fields";

/** Everything the console shows about one member, read-only fields included. */
export async function getMember(db: TDatabase, tenantId: bigint, memberId: bigint, now = new Date()) {
  const member = await db.user.findFirst({
    // Deleted members too: the recycle bin links here, read-only, to restore them.
    where: { id: memberId, tenantId },
    omit: { passwordHash: true },
    include: {
      tenant: { select: { name: true, slug: true } },
      departments: { select: { isHead: true, department: { select: { id: true, name: true } } } },
    },
  });
  if (!member) throw new NotFoundError("Member not found");
  const { tenant, departments, sysAdmin, ...record } = member;
  // The fields the member's directory fills: the forms show them read-only, "Managed by <directory>".
  const managedBy = await memberManagedBy(db, tenantId, memberId);
  const actors = await db.user.findMany({
    where: { tenantId, id: { in: [record.createdBy, record.lastModifiedBy].filter((id) => id !== null) } },
    select: { id: true, fullName: true },
  });
  const actorOf = (id: bigint | null) => actors.find((actor) => actor.id === id) ?? null;
  return {
    managedBy,
    ...record,
    creator: actorOf(record.createdBy),
    lastModifier: actorOf(record.lastModifiedBy),
    sysAdmin,
    role: systemRoleName(sysAdmin),
    tenantName: tenant.name,
    tenantSlug: tenant.slug,
    passwordExpired: record.passwordExpiresAt !== null && record.passwordExpiresAt.getTime() <= now.getTime(),
    deptHead: departments.some((membership) => membership.isHead && membership.department.id === record.mainDepartmentId),
    departments: departments.map((membership) => ({ ...membership.department, isHead: membership.isHead })),
  };
}
export type TMemberDetail = Awaited<ReturnType<typeof getMember>>;
