import { Prisma } from "@/server/db/generated/client";
import type { TDatabase } from "@/server/db/client";
import { systemRoleName, SYSTEM_ROLE } from "@/server/auth/roles";
import { decodeCursor, encodeCursor } from "@/server/members/list-cursor";
import { ZMemberListInput, type TMemberListInput } from "@/server/members/schemas";

type TRow = {
  id: bigint;
  full_name: string;
  username: string;
  email: string;
  mobile: string | null;
  sys_admin: number;
  enabled: boolean;
  locked: boolean;
  source: string;
  created_at: Date;
  online_at: Date | null;
  main_department: string | null;
  sort_value: string | Date;
};

// Each sort is a keyset over (value, id) with a matching index (migration member_search).
const SORT_EXPRESSION = {
  name: Prisma.sql`(lower(u.full_name) COLLATE "C")`,
  created: Prisma.sql`u.created_at`,
  lastOnline: Prisma.sql`coalesce(u.online_at, '-infinity'::timestamptz)`,
} as const;

const STATUS_CONDITION = {
  active: Prisma.sql`u.enabled AND NOT u.locked`,
  locked: Prisma.sql`u.enabled AND u.locked`,
  disabled: Prisma.sql`NOT u.enabled`,
} as const;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

function searchCondition(search: string): Prisma.Sql {
  const query = search.toLowerCase();
  // One or two letters: the start of the name, a range seek in the name-order index.
  if (query.length < 3) {
    return Prisma.sql`(lower(u.full_name) COLLATE "C" >= ${query} AND lower(u.full_name) COLLATE "C" < ${`${query}\u{10FFFF}`})`;
  }
  // Longer: any fragment of name, username, email or mobile, or a near miss, via the trigram index.
  const text = Prisma.sql`tenure_member_search_text(u.full_name, u.username::text, u.email::text, u.mobile)`;
  const fragment = Prisma.sql`${text} LIKE ${`%${escapeLike(query)}%`}`;
  // Near misses only for words: digits of phone numbers all look alike to trigrams.
  return /\p{L}/u.test(query) ? Prisma.sql`(${fragment} OR ${query} <% ${text})` : fragment;
}

/**
 * One page of a tenant's members: search, filters and sort, by keyset (never
 * OFFSET), so a deep page costs what the first one does.
 */
export async function listMembers(db: TDatabase, tenantId: bigint, rawInput: TMemberListInput) {
  const input = ZMemberListInput.parse(rawInput);
  const sortExpression = SORT_EXPRESSION[input.sort];
  const descending = input.order === "desc";
  const conditions: Prisma.Sql[] = [Prisma.sql`u.tenant_id = ${tenantId}`, Prisma.sql`u.deleted_at IS NULL`];
  if (input.search) conditions.push(searchCondition(input.search));
  if (input.status) conditions.push(STATUS_CONDITION[input.status]);
  if (input.role) conditions.push(Prisma.sql`u.sys_admin = ${SYSTEM_ROLE[input.role]}`);
  if (input.source) conditions.push(Prisma.sql`u.source = ${input.source}`);
  if (input.departmentId) {
    conditions.push(Prisma.sql`EXISTS (
      SELECT 1 FROM department_members dm JOIN subtree s ON s.id = dm.department_id WHERE dm.user_id = u.id)`);
  }
  const cursor = input.cursor ? decodeCursor(input.cursor, input.sort) : null;
  if (cursor) {
    const value = input.sort === "name" ? Prisma.sql`${cursor.value}` : Prisma.sql`${cursor.value}::timestamptz`;
    conditions.push(
      descending ? Prisma.sql`(${sortExpression}, u.id) < (${value}, ${cursor.id})` : Prisma.sql`(${sortExpression}, u.id) > (${value}, ${cursor.id})`,
    );
  }
  const subtree = input.departmentId
    ? Prisma.sql`WITH RECURSIVE subtree AS (
        SELECT id FROM departments WHERE id = ${BigInt(input.departmentId)} AND tenant_id = ${tenantId}
        UNION ALL
        SELECT d.id FROM departments d JOIN subtree s ON d.parent_id = s.id)`
    : Prisma.empty;
  const order = descending ? Prisma.sql`DESC` : Prisma.sql`ASC`;

  const rows = await db.$queryRaw<TRow[]>`
    ${subtree}
    SELECT u.id, u.full_name, u.username::text AS username, u.email::text AS email, u.mobile, u.sys_admin, u.enabled, u.locked,
           u.source, u.created_at, u.online_at, md.name AS main_department, ${sortExpression} AS sort_value
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
      status: !row.enabled ? ("disabled" as const) : row.locked ? ("locked" as const) : ("active" as const),
      enabled: row.enabled,
      locked: row.locked,
      source: row.source,
      createdAt: row.created_at,
      onlineAt: row.online_at,
      mainDepartment: row.main_department,
    })),
    nextCursor: rows.length > input.limit && last ? encodeCursor(input.sort, last.sort_value, last.id) : null,
  };
}
