import { Prisma } from "@/server/db/generated/client";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import type { ZMemberListInput } from "@/server/members/schemas";
import type { z } from "zod";

export type TMemberFilters = Pick<z.output<typeof ZMemberListInput>, "search" | "departmentId" | "status" | "role" | "source">;

// The directory hides archived members (listed only in the Archived view) and
// deleted ones (only in the recycle bin); every other status is a filter.
const STATUS_CONDITION = {
  active: Prisma.sql`u.state = 'active'`,
  pending: Prisma.sql`u.state = 'pending'`,
  locked: Prisma.sql`u.state = 'locked'`,
  disabled: Prisma.sql`u.state = 'disabled'`,
  resigned: Prisma.sql`u.state = 'resigned'`,
  archived: Prisma.sql`u.state = 'archived'`,
} as const;

/**
 * Who the directory lists without a status filter, on `users u`: neither deleted
 * (recycle bin) nor archived (Archived view). The department tree counts exactly
 * these members, so its counts always agree with the list filtered by department.
 */
export const LISTED_MEMBER_SQL = Prisma.sql`(u.deleted_at IS NULL AND u.state <> 'archived')`;

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
 * The WHERE conditions (on `users u`) and the WITH clause of a member filter,
 * shared by the list and the export so both always select the same members.
 */
export function memberFilterSql(tenantId: bigint, filters: TMemberFilters): { withClause: Prisma.Sql; conditions: Prisma.Sql[] } {
  const conditions: Prisma.Sql[] = [Prisma.sql`u.tenant_id = ${tenantId}`];
  conditions.push(filters.status ? Prisma.sql`u.deleted_at IS NULL AND ${STATUS_CONDITION[filters.status]}` : LISTED_MEMBER_SQL);
  if (filters.search) conditions.push(searchCondition(filters.search));
  if (filters.role) conditions.push(Prisma.sql`u.sys_admin = ${SYSTEM_ROLE[filters.role]}`);
  if (filters.source) conditions.push(Prisma.sql`u.source = ${filters.source}`);
  if (!filters.departmentId) return { withClause: Prisma.empty, conditions };
  conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM department_members dm JOIN subtree s ON s.id = dm.department_id WHERE dm.user_id = u.id)`);
  return {
    conditions,
    withClause: Prisma.sql`WITH RECURSIVE subtree AS (
      SELECT id FROM departments WHERE id = ${BigInt(filters.departmentId)} AND tenant_id = ${tenantId}
      UNION ALL
      SELECT d.id FROM departments d JOIN subtree s ON d.parent_id = s.id)`,
  };
}
