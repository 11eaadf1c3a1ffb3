import type { TDatabase } from "@/server/db/client";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { NotFoundError } from "@/server/errors";

export async function getTenantOverview(db: TDatabase, tenantId: bigint) {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true, slug: true, name: true, createdAt: true } });
  if (!tenant) throw new NotFoundError("Organisation not found");
  const [counts] = await db.$queryRaw<{ members: bigint; admins: bigint; open_sessions: bigint }[]>`
    SELECT
      (SELECT count(*) FROM users WHERE tenant_id = ${tenantId}) AS members,
      (SELECT count(*) FROM users WHERE tenant_id = ${tenantId} AND sys_admin >= ${SYSTEM_ROLE.admin}) AS admins,
      (SELECT count(*) FROM sessions WHERE tenant_id = ${tenantId} AND revoked_at IS NULL AND expires_at > now()) AS open_sessions`;
  return {
    ...tenant,
    memberCount: Number(counts?.members ?? 0),
    adminCount: Number(counts?.admins ?? 0),
    openSessionCount: Number(counts?.open_sessions ?? 0),
  };
}
