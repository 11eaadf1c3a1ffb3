import { Prisma } from "@/server/db/generated/client";
import type { TDatabase } from "@/server/db/client";
import { systemRoleName } from "@/server/shared/roles";
import { decodeCursor, encodeCursor } from "@/server/members/list-cursor";
import { memberFilterSql } from "@/server/members/member-filters";
import { ZMemberListInput, type TMemberListInput } from "@/server/members/schemas";
import type { TMemberState } from "@/server/shared/member-states";

type TRow = {
  id: bigint;
  full_name: string;
  username: string;
  email: string;
  mobile: string | null;
  sys_admin: number;
  enabled: boolean;
  locked: boolean;
  state: string;
  source: string;
  created_at: Date;
  online_at: Date | null;
  main_department: string | null;
  password_set: boolean;
  invitation_expires_at: Date | null;
  sort_value: string | Date;
};

// Each sort is a keyset over (value, id) with a matching index (migration member_search).
const SORT_EXPRESSION = {
  name: Prisma.sql`(lower(u.full_name) COLLATE "C")`,
  created: Prisma.sql`u.created_at`,
  lastOnline: Prisma.sql`coalesce(u.online_at, '-infinity'::timestamptz)`,
} as const;

/**
 * One page of a tenant's members: search, filters and sort, by keyset (never
 * OFFSET), so a deep page costs what the first one does.
 */
export async function listMembers(db: TDatabase, tenantId: bigint, rawInput: TMemberListInput) {
  const input = ZMemberListInput.parse(rawInput);
  const sortExpression = SORT_EXPRESSION[input.sort];
  const descending = input.order === "desc";
  const { withClause, conditions } = memberFilterSql(tenantId, input);
  const cursor = input.cursor ? decodeCursor(input.cursor, input.sort) : null;
  if (cursor) {
    const value = input.sort === "name" ? Prisma.sql`${cursor.value}` : Prisma.sql`${cursor.value}::timestamptz`;
    conditions.push(
      descending ? Prisma.sql`(${sortExpression}, u.id) < (${value}, ${cursor.id})` : Prisma.sql`(${sortExpression}, u.id) > (${value}, ${cursor.id})`,
    );
  }
  const order = descending ? Prisma.sql`DESC` : Prisma.sql`ASC`;

  const rows = await db.$queryRaw<TRow[]>`
    ${withClause}
    SELECT u.id, u.full_name, u.username::text AS username, u.email::text AS email, u.mobile, u.sys_admin, u.enabled, u.locked,
           u.state, u.source, u.created_at, u.online_at, md.name AS main_department,
           u.password_hash IS NOT NULL AS password_set,
           CASE WHEN u.password_hash IS NULL THEN (SELECT max(i.expires_at) FROM invitations i WHERE i.user_id = u.id AND i.used_at IS NULL) END
             AS invitation_expires_at,
           ${sortExpression} AS sort_value
    FROM users u
    LEFT JOIN departments md ON md.id = u.main_department_id
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${sortExpression} ${order}, u.id ${order}
    LIMIT ${input.limit + 1}`;

  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id.toString(),
      fullName: row.full_name,
      username: row.username,
      email: row.email,
      mobile: row.mobile,
      role: systemRoleName(row.sys_admin),
      status: row.state as TMemberState,
      enabled: row.enabled,
      locked: row.locked,
      source: row.source,
      createdAt: row.created_at,
      onlineAt: row.online_at,
      mainDepartment: row.main_department,
      // Whether they have set a password (never the hash): an invited member is "active" yet cannot sign in.
      passwordSet: row.password_set,
      invitationExpiresAt: row.invitation_expires_at,
    })),
    nextCursor: rows.length > input.limit && last ? encodeCursor(input.sort, last.sort_value, last.id) : null,
  };
}
