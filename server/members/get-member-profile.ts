import type { TDatabase } from "@/server/db/client";
import { systemRoleName } from "@/server/auth/roles";
import { NotFoundError } from "@/server/errors";

export async function getMemberProfile(db: TDatabase, tenantId: bigint, memberId: bigint) {
  const member = await db.user.findFirst({
    where: { id: memberId, tenantId },
    select: {
      id: true,
      username: true,
      email: true,
      fullName: true,
      sysAdmin: true,
      enabled: true,
      locked: true,
      createdAt: true,
      updatedAt: true,
      tenant: { select: { name: true, slug: true } },
    },
  });
  if (!member) throw new NotFoundError("Member not found");
  const { sysAdmin, tenant, ...rest } = member;
  return { ...rest, role: systemRoleName(sysAdmin), tenantName: tenant.name, tenantSlug: tenant.slug };
}
