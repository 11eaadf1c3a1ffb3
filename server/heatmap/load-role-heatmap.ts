import type { TDatabaseOrTransaction } from "@/server/db/client";

// Roles × permissions: which permissions each role carries (role_policies),
// with how many members hold the role now (member_access: members who can
// sign in, by any path). A dense answer, since a role carries few policies.

export type TRoleHeatmap = {
  roles: { id: string; name: string; holders: number }[];
  permissions: { id: string; permission: string; name: string }[];
  /** [role index, permission index]: the role carries the permission. */
  cells: [number, number][];
};

export async function loadRoleHeatmap(db: TDatabaseOrTransaction, tenantId: bigint): Promise<TRoleHeatmap> {
  const [roles, permissions, links] = await Promise.all([
    db.$queryRaw<{ id: bigint; name: string; holders: number }[]>`
      SELECT r.id, r.name, (SELECT count(*)::int FROM member_access ma WHERE ma.kind = 1 AND ma.item_id = r.id) AS holders
      FROM roles r WHERE r.tenant_id = ${tenantId}
      ORDER BY lower(r.name), r.id`,
    db.$queryRaw<{ id: bigint; permission: string; name: string }[]>`
      SELECT p.id, p.permission, p.name FROM policies p WHERE p.tenant_id = ${tenantId} ORDER BY p.permission, p.id`,
    db.$queryRaw<{ role_id: bigint; policy_id: bigint }[]>`
      SELECT rp.role_id, rp.policy_id FROM role_policies rp JOIN roles r ON r.id = rp.role_id
      WHERE r.tenant_id = ${tenantId}`,
  ]);
  const roleIndex = new Map(roles.map((row, index) => [row.id, index]));
  const permissionIndex = new Map(permissions.map((row, index) => [row.id, index]));
  const cells = links
    .map((link): [number, number] => [roleIndex.get(link.role_id)!, permissionIndex.get(link.policy_id)!])
    .filter(([row, column]) => row !== undefined && column !== undefined)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return {
    roles: roles.map((row) => ({ id: row.id.toString(), name: row.name, holders: row.holders })),
    permissions: permissions.map((row) => ({ id: row.id.toString(), permission: row.permission, name: row.name })),
    cells,
  };
}
