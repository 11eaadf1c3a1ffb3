import type { TDatabaseOrTransaction } from "@/server/db/client";
import { ZPermissionQuery } from "@/server/access/schemas";

// can(member, "resource:action"): a held policy covers a request when each
// side is equal or the held side is "*". "reports:*" covers "reports:read";
// "*:read" covers "members:read"; "*:*" covers everything. A request with a
// "*" asks for the whole range: "reports:*" is allowed only by "reports:*" or
// "*:*", never by "reports:read" alone.

/** The held permissions that would cover `permission`: at most four, all exact strings. */
export function coveringPermissions(permission: string): string[] {
  const [resource, action] = ZPermissionQuery.parse(permission).split(":") as [string, string];
  const resources = resource === "*" ? ["*"] : [resource, "*"];
  const actions = action === "*" ? ["*"] : [action, "*"];
  return resources.flatMap((r) => actions.map((a) => `${r}:${a}`));
}

/**
 * Whether the member may do `permission`, from their effective access
 * (member_access, kept by triggers and empty for a member who cannot sign
 * in). Index lookups only: policies(tenant_id, permission), then
 * member_access's primary key.
 */
export async function can(db: TDatabaseOrTransaction, tenantId: bigint, memberId: bigint, permission: string): Promise<boolean> {
  const candidates = coveringPermissions(permission);
  const [row] = await db.$queryRaw<{ allowed: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM policies p
      JOIN member_access ma ON ma.user_id = ${memberId} AND ma.kind = 3 AND ma.item_id = p.id
      WHERE p.tenant_id = ${tenantId} AND p.permission = ANY(${candidates}::text[])
    ) AS allowed`;
  return row?.allowed ?? false;
}
