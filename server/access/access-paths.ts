import { Prisma } from "@/server/db/generated/client";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import { ACCESS_KIND_NAMES, ACCESS_KIND_NUMBERS, type TEffectiveKind } from "@/server/access-changes/access-changes";

// Provenance: every path by which a member holds a role, application or
// permission, read from the member_access_paths view (the same view the
// triggers recompute member_access from).

export type TAccessPath = {
  memberId: string;
  kind: TEffectiveKind;
  itemId: string;
  /** The role's or application's name, or the policy's permission. */
  name: string;
  /** For a permission held through a role. */
  throughRole: { id: string; name: string } | null;
  via: "direct" | "group" | "department";
  group: { id: string; name: string } | null;
  /** The department the member is in, and the one the grant is on (the same, or an ancestor for a subtree grant). */
  memberDepartment: { id: string; name: string } | null;
  grantDepartment: { id: string; name: string } | null;
  subtree: boolean;
};

type TRow = {
  user_id: bigint;
  kind: 1 | 2 | 3;
  item_id: bigint;
  name: string;
  through_role_id: bigint | null;
  through_role_name: string | null;
  via: "direct" | "group" | "department";
  group_id: bigint | null;
  group_name: string | null;
  member_department_id: bigint | null;
  member_department_name: string | null;
  grant_department_id: bigint | null;
  grant_department_name: string | null;
  subtree: boolean | null;
};

const ref = (id: bigint | null, name: string | null) => (id === null ? null : { id: id.toString(), name: name ?? "" });

/**
 * The paths of the given members (of this tenant), optionally only for some
 * items of one kind. Ordered by member, kind, name.
 */
export async function accessPathsOf(
  db: TDatabaseOrTransaction,
  tenantId: bigint,
  memberIds: bigint[],
  only?: { kind: TEffectiveKind; itemIds: bigint[] },
): Promise<TAccessPath[]> {
  if (memberIds.length === 0) return [];
  const filter = only ? Prisma.sql`AND p.kind = ${ACCESS_KIND_NUMBERS[only.kind]}::smallint AND p.item_id = ANY(${only.itemIds}::bigint[])` : Prisma.empty;
  const rows = await db.$queryRaw<TRow[]>`
    SELECT p.user_id, p.kind, p.item_id,
           coalesce(r.name, a.name, pol.permission) AS name,
           p.through_role_id, tr.name AS through_role_name,
           p.via, p.group_id, g.name AS group_name,
           p.member_department_id, md.name AS member_department_name,
           p.grant_department_id, gd.name AS grant_department_name,
           p.subtree
    FROM member_access_paths p
    JOIN users u ON u.id = p.user_id AND u.tenant_id = ${tenantId}
    LEFT JOIN roles r ON p.kind = 1 AND r.id = p.item_id
    LEFT JOIN applications a ON p.kind = 2 AND a.id = p.item_id
    LEFT JOIN policies pol ON p.kind = 3 AND pol.id = p.item_id
    LEFT JOIN roles tr ON tr.id = p.through_role_id
    LEFT JOIN groups g ON g.id = p.group_id
    LEFT JOIN departments md ON md.id = p.member_department_id
    LEFT JOIN departments gd ON gd.id = p.grant_department_id
    WHERE p.user_id = ANY(${memberIds}::bigint[]) ${filter}
    ORDER BY p.user_id, p.kind, 4, tr.name NULLS FIRST, CASE p.via WHEN 'direct' THEN 0 WHEN 'group' THEN 1 ELSE 2 END, g.name, md.name, gd.name`;
  return rows.map((row) => ({
    memberId: row.user_id.toString(),
    kind: ACCESS_KIND_NAMES[row.kind],
    itemId: row.item_id.toString(),
    name: row.name,
    throughRole: ref(row.through_role_id, row.through_role_name),
    via: row.via,
    group: ref(row.group_id, row.group_name),
    memberDepartment: ref(row.member_department_id, row.member_department_name),
    grantDepartment: ref(row.grant_department_id, row.grant_department_name),
    subtree: row.subtree ?? false,
  }));
}

/**
 * One path in words, from what is held back to its source:
 * "policy repo:write ← role Developer ← department Platform (granted on Engineering, subtree)".
 */
export function describeAccessPath(path: TAccessPath): string {
  const head = path.kind === "permission" ? `policy ${path.name}` : `${path.kind} ${path.name}`;
  const steps = [head];
  if (path.throughRole) steps.push(`role ${path.throughRole.name}`);
  if (path.via === "direct") steps.push("granted directly");
  if (path.via === "group" && path.group) steps.push(`group ${path.group.name}`);
  if (path.via === "department" && path.memberDepartment) {
    const inherited = path.grantDepartment && path.grantDepartment.id !== path.memberDepartment.id;
    const where = inherited ? `granted on ${path.grantDepartment!.name}, subtree` : path.subtree ? "granted here, subtree" : "granted here";
    steps.push(`department ${path.memberDepartment.name} (${where})`);
  }
  return steps.join(" ← ");
}
