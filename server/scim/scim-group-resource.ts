import { Prisma } from "@/server/db/generated/client";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import { notFound } from "@/server/scim/scim-errors";
import type { TFilterAttribute } from "@/server/scim/scim-filter-sql";

// A Tenure group (the access catalogue's kind "group") as a SCIM Group.

export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

export type TScimGroupRow = { id: bigint; name: string; external_id: string | null; created_at: Date; version_at: Date };

export const GROUP_SELECT = Prisma.sql`g.id, g.name, sg.external_id, g.created_at,
  GREATEST(g.updated_at, COALESCE(sg.updated_at, g.updated_at), COALESCE((SELECT max(mg.granted_at) FROM member_groups mg WHERE mg.group_id = g.id), g.updated_at)) AS version_at`;
export const GROUP_FROM = Prisma.sql`groups g LEFT JOIN scim_group_identities sg ON sg.group_id = g.id`;

export const groupVersion = (row: { version_at: Date }) => `W/"${row.version_at.getTime()}"`;

export const GROUP_SORT_COLUMNS = { id: Prisma.sql`g.id`, displayname: Prisma.sql`g.name`, externalid: Prisma.sql`sg.external_id`, "meta.created": Prisma.sql`g.created_at` };

export function groupAttributeResolver() {
  const attributes: Record<string, TFilterAttribute> = {
    id: { type: "id", sql: Prisma.sql`g.id` },
    displayname: { type: "string", sql: Prisma.sql`g.name` },
    externalid: { type: "string", sql: Prisma.sql`sg.external_id` },
    "meta.created": { type: "date", sql: Prisma.sql`g.created_at` },
    "meta.lastmodified": { type: "date", sql: Prisma.sql`g.updated_at` },
  };
  return (path: string) => attributes[path] ?? null;
}

export type TGroupMember = { value: string; display: string; $ref: string; type: "User" };

export async function groupMembers(db: TDatabaseOrTransaction, groupIds: bigint[], baseUrl: string): Promise<Map<bigint, TGroupMember[]>> {
  const rows = groupIds.length === 0 ? [] : await db.$queryRaw<{ group_id: bigint; user_id: bigint; full_name: string }[]>`
    SELECT mg.group_id, mg.user_id, u.full_name FROM member_groups mg JOIN users u ON u.id = mg.user_id
    WHERE mg.group_id = ANY(${groupIds}::bigint[]) AND u.deleted_at IS NULL ORDER BY mg.group_id, mg.user_id`;
  const members = new Map<bigint, TGroupMember[]>(groupIds.map((id) => [id, []]));
  for (const row of rows) members.get(row.group_id)!.push({ value: row.user_id.toString(), display: row.full_name, $ref: `${baseUrl}/Users/${row.user_id}`, type: "User" });
  return members;
}

export function groupResource(row: TScimGroupRow, members: TGroupMember[] | null, baseUrl: string) {
  return {
    schemas: [GROUP_SCHEMA],
    id: row.id.toString(),
    ...(row.external_id ? { externalId: row.external_id } : {}),
    displayName: row.name,
    ...(members ? { members } : {}),
    meta: { resourceType: "Group", created: row.created_at.toISOString(), lastModified: row.version_at.toISOString(), location: `${baseUrl}/Groups/${row.id}`, version: groupVersion(row) },
  };
}

export async function loadGroupRow(db: TDatabaseOrTransaction, tenantId: bigint, id: string): Promise<TScimGroupRow> {
  if (!/^\d{1,18}$/.test(id)) throw notFound(`Group ${id.slice(0, 40)} not found`);
  const [row] = await db.$queryRaw<TScimGroupRow[]>`SELECT ${GROUP_SELECT} FROM ${GROUP_FROM} WHERE g.tenant_id = ${tenantId} AND g.id = ${BigInt(id)}`;
  if (!row) throw notFound(`Group ${id} not found`);
  return row;
}
