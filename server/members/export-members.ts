import { Prisma } from "@/server/db/generated/client";
import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { systemRoleName } from "@/server/shared/roles";
import { csvLine, type TCsvValue } from "@/server/members/csv";
import { memberFilterSql, type TMemberFilters } from "@/server/members/member-filters";
import { MEMBER_SOURCES, MEMBER_STATUSES } from "@/server/members/schemas";
import { ZEntityId } from "@/server/ids";
import { z } from "zod";
import { zLine } from "@/server/validation/text";

/** The export's query string: the same names as the console list's URL, plus the format. */
export const ZMemberExportQuery = z.object({
  format: z.enum(["csv", "json"]).default("csv"),
  q: zLine().max(100).optional(),
  department: ZEntityId("Unknown department").optional(),
  status: z.enum(MEMBER_STATUSES).optional(),
  role: z.enum(["member", "admin", "owner"]).optional(),
  source: z.enum(MEMBER_SOURCES).optional(),
});
export type TMemberExportQuery = z.output<typeof ZMemberExportQuery>;

/** Columns named as in the specification's user record, so an export can be imported again. */
export const EXPORT_COLUMNS = [
  "id", "username", "firstName", "lastName", "fullName", "email", "mobile", "itc", "country", "landline", "gender", "title", "address",
  // sysAdmin is the specification's level (0, 1, 2); sysAdminName says it in words, roles lists the roles granted (Access tab).
  "sysAdmin", "sysAdminName", "roles", "enabled", "locked", "state", "source", "mainDeptId", "mainDepartment", "createdDate", "lastModifiedDate", "onlineDate", "offlineDate",
  // The rest of the specification's record; its unnamed parameters get the camel-case of their name ("Deletion Status": deleted).
  "online", "createdBy", "lastModifiedBy", "tenantId", "tenantName", "avatar", "deptHead", "passwordExpired", "passwordExpiredDate",
  "disableReason", "deleted", "lastLockDate", "lockStartDate", "lockEndDate", "passwordChangedDate",
  "registrationAccountType", "registrationAccount", "registeredDeviceId", "userDirectoryId",
] as const;

type TExportRow = Record<(typeof EXPORT_COLUMNS)[number], TCsvValue>;
type TQueriedRow = Omit<TExportRow, "sysAdminName"> & { key: bigint };
const PAGE = 1000;

export function filtersOf(query: TMemberExportQuery): TMemberFilters {
  return { search: query.q || undefined, departmentId: query.department, status: query.status, role: query.role, source: query.source };
}

/** Rows in id order, a keyset page at a time: memory stays flat however many members match. */
export async function* exportRows(db: TDatabase, tenantId: bigint, filters: TMemberFilters): AsyncGenerator<TExportRow> {
  const { withClause, conditions } = memberFilterSql(tenantId, filters);
  let after = 0n;
  for (;;) {
    const rows = await db.$queryRaw<TQueriedRow[]>`
      ${withClause}
      SELECT u.id AS key, u.id::text AS id, u.username::text AS username, u.first_name AS "firstName", u.last_name AS "lastName", u.full_name AS "fullName",
             u.email::text AS email, u.mobile, u.itc, u.country, u.landline, u.gender, u.title, u.address, u.sys_admin AS "sysAdmin",
             (SELECT string_agg(r.name, '; ' ORDER BY lower(r.name)) FROM member_roles mr JOIN roles r ON r.id = mr.role_id WHERE mr.user_id = u.id) AS roles,
             u.enabled, u.locked, u.state, u.source, u.main_department_id::text AS "mainDeptId",
             -- The path from the root, "Parent/Child": the form the import reads back (server/imports/department-resolver.ts).
             (WITH RECURSIVE up AS (
                SELECT d.parent_id, d.name, 0 AS depth FROM departments d WHERE d.id = u.main_department_id
                UNION ALL
                SELECT d.parent_id, d.name, up.depth + 1 FROM departments d JOIN up ON d.id = up.parent_id WHERE up.depth < 100)
              SELECT string_agg(up.name, '/' ORDER BY up.depth DESC) FROM up) AS "mainDepartment",
             u.created_at AS "createdDate", u.updated_at AS "lastModifiedDate", u.online_at AS "onlineDate", u.offline_at AS "offlineDate",
             u.online, u.created_by::text AS "createdBy", u.last_modified_by::text AS "lastModifiedBy", u.tenant_id::text AS "tenantId",
             t.name AS "tenantName", u.avatar_url AS avatar,
             EXISTS (SELECT 1 FROM department_members dm WHERE dm.user_id = u.id AND dm.department_id = u.main_department_id AND dm.is_head) AS "deptHead",
             coalesce(u.password_expires_at <= now(), false) AS "passwordExpired", u.password_expires_at AS "passwordExpiredDate",
             u.disable_reason AS "disableReason", u.deleted_at IS NOT NULL AS deleted, u.last_locked_at AS "lastLockDate",
             u.lock_start_at AS "lockStartDate", u.lock_end_at AS "lockEndDate", u.password_changed_at AS "passwordChangedDate",
             u.registration_account_type AS "registrationAccountType", u.registration_account AS "registrationAccount",
             u.registered_device_id AS "registeredDeviceId", u.user_directory_id::text AS "userDirectoryId"
      FROM users u JOIN tenants t ON t.id = u.tenant_id
      WHERE ${Prisma.join([...conditions, Prisma.sql`u.id > ${after}`], " AND ")}
      ORDER BY u.id LIMIT ${PAGE}`;
    for (const { key: _key, ...row } of rows) yield { ...row, sysAdminName: systemRoleName(Number(row.sysAdmin)) };
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.key;
  }
}

/**
 * Records who exported what (the specification asks exports to be logged).
 * Whether a search narrowed it, not its text: a search is usually someone's
 * name or address, which the trail would otherwise keep after they are erased.
 */
export async function recordExport(db: TDatabase, actor: TActor, query: TMemberExportQuery): Promise<void> {
  const { format, q, ...filters } = query;
  const after = { format, ...filters, searched: Boolean(q) };
  await recordAuditEvent(db, actor, { action: "members.exported", targetType: "tenant", targetId: actor.tenantId, changes: { export: { before: null, after } } });
}

/** The export as a byte stream of CSV or JSON, pulled page by page as the client reads. */
export function exportStream(db: TDatabase, tenantId: bigint, query: TMemberExportQuery): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const rows = exportRows(db, tenantId, filtersOf(query));
  let started = false;
  let first = true;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        // A BOM so spreadsheets read the CSV as UTF-8.
        controller.enqueue(encoder.encode(query.format === "csv" ? `\uFEFF${csvLine(EXPORT_COLUMNS)}` : "["));
      }
      const next = await rows.next();
      if (next.done) {
        if (query.format === "json") controller.enqueue(encoder.encode("]\n"));
        controller.close();
        return;
      }
      const row = next.value;
      const text = query.format === "csv" ? csvLine(EXPORT_COLUMNS.map((column) => row[column])) : `${first ? "" : ","}\n${JSON.stringify(row)}`;
      first = false;
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}
