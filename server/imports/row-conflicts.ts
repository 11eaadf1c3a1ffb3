import { Prisma } from "@/server/db/generated/client";
import type { TSqlTransaction } from "@/server/db/sql-transaction";
import { archivedHolderMessage } from "@/server/members/member-conflicts";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { REQUIRED_FOR_NEW_MEMBER } from "@/server/imports/columns";
import { OWNER_ONLY_MESSAGE } from "@/server/shared/member-authority";
import { NO_EMAIL_NOR_MOBILE } from "@/server/members/schemas";

// The checks a single row cannot make on its own, set-based over a range of
// staged rows: against the other rows of the file (dry run) and against the
// tenant's members (dry run, and again before each applied batch, since the
// directory may have changed in between). Each finding is a row error.
// Lookups of members are LATERAL ... LIMIT 1: always one index probe per row
// on the unique keys, whatever the statistics say (during an import into a
// young table they are stale, and a join plan then degrades to a scan per row).

export const DEPARTED_BY_RESIGNING = "Members join the Departed department by resigning, not by an import";

export type TRowRange = { importId: bigint; tenantId: bigint; fromRow: number; toRow: number };
/** Who applies: the role rules of createMember/updateMember hold for imports too. */
/** Who imports; a directory's sync (`directoryId`) may change the fields it manages, nobody else may. */
export type TImportingMember = { memberId: bigint | null; sysAdmin: number; directoryId?: bigint | null };

/** Each managed field's current value, as the import's values spell it (email compared regardless of case, like the column). */
const MANAGED_CURRENT_SQL = Prisma.sql`(VALUES
  ('email', lower(m.current_email::text), lower(m.values->>'email')), ('firstName', m.first_name, m.values->>'firstName'),
  ('lastName', m.last_name, m.values->>'lastName'), ('fullName', m.full_name, m.values->>'fullName'), ('mobile', m.current_mobile, m.values->>'mobile'),
  ('title', m.title, m.values->>'title'), ('landline', m.landline, m.values->>'landline'), ('address', m.address, m.values->>'address'),
  ('country', m.country, m.values->>'country'), ('gender', m.gender, m.values->>'gender'))`;

/** Every row after the first with the same username, email or mobile (case-insensitive, mobiles in E.164). */
export async function recordInFileDuplicates(tx: TSqlTransaction, importId: bigint): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO member_import_errors (import_id, row_number, field, message)
    SELECT ${importId}, d.row_number, d.field, 'The same ' || d.field || ' as row ' || d.first_row || ': each member appears once'
    FROM (
      SELECT r.row_number, k.field, min(r.row_number) OVER (PARTITION BY k.field, k.value) AS first_row
      FROM member_import_rows r
      CROSS JOIN LATERAL (VALUES ('username', lower(r.values->>'username')), ('email', lower(r.values->>'email')), ('mobile', r.values->>'mobile')) AS k(field, value)
      WHERE r.import_id = ${importId} AND r.values IS NOT NULL AND k.value IS NOT NULL
    ) d
    WHERE d.row_number > d.first_row`;
}

/**
 * Rows in the range that clash with the tenant's members or break a role rule; one error per finding.
 * `onlyRows`: just these rows of the range (the apply re-checks only the rows a member's change could affect).
 * `byLink` (the dry run): each row's member is the one it was staged linked to (stage-import found it by username just
 * before), a probe by id; otherwise (the apply's re-check) the member its username names now.
 */
export async function recordMemberConflicts(
  tx: TSqlTransaction,
  range: TRowRange,
  importer: TImportingMember,
  options: { onlyRows?: number[]; byLink?: boolean } = {},
): Promise<void> {
  const { importId, tenantId, fromRow, toRow } = range;
  const { onlyRows, byLink = false } = options;
  if (onlyRows?.length === 0) return;
  const owner = SYSTEM_ROLE.owner;
  await tx.$executeRaw`
    WITH candidates AS (
      SELECT r.row_number, r.values, (r.values->>'username')::citext AS username, (r.values->>'sysAdmin')::int AS sys_admin, r.member_id AS linked_id
      FROM member_import_rows r
      WHERE r.import_id = ${importId} AND r.row_number BETWEEN ${fromRow} AND ${toRow} AND r.outcome IS NULL AND r.values IS NOT NULL
        ${onlyRows ? Prisma.sql`AND r.row_number = ANY(${onlyRows}::int[])` : Prisma.empty}
    ), matched AS (
      SELECT c.*, m.id AS member_id, m.sys_admin AS current_sys_admin, m.deleted_at, m.main_department_id, m.state, m.email AS current_email, m.mobile AS current_mobile,
             m.user_directory_id, m.first_name, m.last_name, m.full_name, m.title, m.landline, m.address, m.country, m.gender
      FROM candidates c
      LEFT JOIN LATERAL (
        SELECT u.id, u.sys_admin, u.deleted_at, u.main_department_id, u.state, u.email, u.mobile,
               u.user_directory_id, u.first_name, u.last_name, u.full_name, u.title, u.landline, u.address, u.country, u.gender
        FROM users u WHERE u.tenant_id = ${tenantId} AND ${byLink ? Prisma.sql`u.id = c.linked_id` : Prisma.sql`u.username = c.username`} LIMIT 1
      ) m ON true
    ), findings (row_number, field, message) AS (
      SELECT row_number, 'username', 'This username belongs to a deleted member: an import does not bring them back'
      FROM matched WHERE deleted_at IS NOT NULL
      UNION ALL
      SELECT row_number, 'username', ${archivedHolderMessage("username", null)} || ' (Members → Archived)'
      FROM matched WHERE state = 'archived'
      UNION ALL
      SELECT m.row_number, f.field, 'Required for a new member'
      FROM matched m CROSS JOIN unnest(${[...REQUIRED_FOR_NEW_MEMBER]}::text[]) AS f(field)
      WHERE m.member_id IS NULL AND NOT (m.values ? f.field)
      UNION ALL
      -- An account is reached by email or mobile (CHECK users_email_or_mobile): the row must leave the member one of them.
      SELECT row_number, 'email', ${NO_EMAIL_NOR_MOBILE}
      FROM matched
      WHERE (CASE WHEN values ? 'email' THEN values->>'email' ELSE current_email::text END) IS NULL
        AND (CASE WHEN values ? 'mobile' THEN values->>'mobile' ELSE current_mobile END) IS NULL
      UNION ALL
      SELECT c.row_number, 'email', 'This email address is already used by another member'
      FROM candidates c CROSS JOIN LATERAL (
        SELECT 1 FROM users u WHERE u.tenant_id = ${tenantId} AND u.email = (c.values->>'email')::citext AND u.username <> c.username LIMIT 1) hit
      UNION ALL
      SELECT c.row_number, 'mobile', 'This mobile number is already used by another member'
      FROM candidates c CROSS JOIN LATERAL (
        SELECT 1 FROM users u WHERE u.tenant_id = ${tenantId} AND u.mobile = c.values->>'mobile' AND u.username <> c.username LIMIT 1) hit
      UNION ALL
      SELECT row_number, 'sysAdmin', 'Only an owner may make another owner'
      FROM matched WHERE ${importer.sysAdmin} < ${owner} AND sys_admin = ${owner} AND current_sys_admin IS DISTINCT FROM ${owner}
      UNION ALL
      -- Any field of an owner's record, not only the role: an email moved by an admin is an owner's account taken (ownerAuthorityRefusal).
      SELECT row_number, 'username', ${OWNER_ONLY_MESSAGE}
      FROM matched WHERE ${importer.sysAdmin} < ${owner} AND current_sys_admin >= ${owner}
      UNION ALL
      -- A field the member's directory fills is the directory's: a row may repeat its value, not change it
      -- (an empty full name asks for the composed one, which the managed first and last names decide).
      SELECT m.row_number, f.field, 'Managed by ' || d.name || ': change it in the directory'
      FROM matched m
      JOIN directories d ON d.id = m.user_directory_id AND d.tenant_id = ${tenantId}
      CROSS JOIN LATERAL ${MANAGED_CURRENT_SQL} AS f(field, current_value, new_value)
      WHERE d.id IS DISTINCT FROM ${importer.directoryId ?? null}::bigint
        AND coalesce(d.attribute_mapping->>f.field, '') <> '' AND m.values ? f.field
        AND NOT (f.field = 'fullName' AND f.new_value IS NULL)
        AND f.new_value IS DISTINCT FROM f.current_value
      UNION ALL
      SELECT row_number, 'sysAdmin', 'You cannot change your own role: ask another administrator'
      FROM matched WHERE member_id = ${importer.memberId}::bigint AND sys_admin <> current_sys_admin
      UNION ALL
      SELECT m.row_number, 'mainDeptId', CASE WHEN d.kind = 'departed' THEN ${DEPARTED_BY_RESIGNING} ELSE 'This department no longer exists' END
      FROM matched m LEFT JOIN departments d ON d.id = (m.values->>'mainDepartmentId')::bigint AND d.tenant_id = ${tenantId}
      WHERE m.values->>'mainDepartmentId' IS NOT NULL AND (d.id IS NULL OR d.kind <> 'regular')
        -- A resigned member's own row (an export imported back) keeps Departed: no change, nothing to refuse.
        -- (coalesce: with no department d.kind is null, and a bare NOT would drop the row's finding.)
        AND NOT coalesce(d.kind = 'departed' AND m.main_department_id IS NOT DISTINCT FROM d.id, false)
      UNION ALL
      SELECT row_number, 'deptHead', 'A department head needs a main department'
      FROM matched WHERE (values->>'deptHead')::boolean AND NOT (values ? 'mainDepartmentId') AND main_department_id IS NULL
    )
    INSERT INTO member_import_errors (import_id, row_number, field, message)
    SELECT ${importId}, row_number, field, message FROM findings`;
}

/** Gives rows of the range that have errors their outcome ("invalid" in a dry run, "failed" when applying); returns those rows. */
export async function markRowsWithErrors(tx: TSqlTransaction, range: Omit<TRowRange, "tenantId">, outcome: "invalid" | "failed"): Promise<Set<number>> {
  const marked = await tx.$queryRaw<{ row_number: number }[]>`
    UPDATE member_import_rows r SET outcome = ${outcome}
    WHERE r.import_id = ${range.importId} AND r.row_number BETWEEN ${range.fromRow} AND ${range.toRow} AND r.outcome IS NULL
      AND EXISTS (SELECT 1 FROM member_import_errors e WHERE e.import_id = r.import_id AND e.row_number = r.row_number)
    RETURNING r.row_number`;
  return new Set(marked.map((row) => row.row_number));
}
