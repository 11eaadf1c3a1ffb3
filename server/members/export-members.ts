import { Prisma } from "@/server/db/generated/client";
import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent, type TActor } from "@/server/audit/record-audit-event";
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
  "sysAdmin", "enabled", "locked", "source", "mainDeptId", "mainDepartment", "createdDate", "lastModifiedDate", "onlineDate", "offlineDate",
] as const;

type TExportRow = Record<(typeof EXPORT_COLUMNS)[number], TCsvValue>;
const PAGE = 1000;

export function filtersOf(query: TMemberExportQuery): TMemberFilters {
  return { search: query.q || undefined, departmentId: query.department, status: query.status, role: query.role, source: query.source };
}

/** Rows in id order, a keyset page at a time: memory stays flat however many members match. */
export async function* exportRows(db: TDatabase, tenantId: bigint, filters: TMemberFilters): AsyncGenerator<TExportRow> {
  const { withClause, conditions } = memberFilterSql(tenantId, filters);
  let after = 0n;
  for (;;) {
    const rows = await db.$queryRaw<(TExportRow & { key: bigint })[]>`
      ${withClause}
      SELECT u.id AS key, u.id::text AS id, u.username::text AS username, u.first_name AS "firstName", u.last_name AS "lastName", u.full_name AS "fullName",
             u.email::text AS email, u.mobile, u.itc, u.country, u.landline, u.gender, u.title, u.address, u.sys_admin AS "sysAdmin",
             u.enabled, u.locked, u.source, u.main_department_id::text AS "mainDeptId", md.name AS "mainDepartment",
             u.created_at AS "createdDate", u.updated_at AS "lastModifiedDate", u.online_at AS "onlineDate", u.offline_at AS "offlineDate"
      FROM users u LEFT JOIN departments md ON md.id = u.main_department_id
      WHERE ${Prisma.join([...conditions, Prisma.sql`u.id > ${after}`], " AND ")}
      ORDER BY u.id LIMIT ${PAGE}`;
    for (const { key: _key, ...row } of rows) yield row;
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.key;
  }
}

/** Records who exported what (the specification asks exports to be logged). */
export async function recordExport(db: TDatabase, actor: TActor, query: TMemberExportQuery): Promise<void> {
  const { format, ...filters } = query;
  await recordAuditEvent(db, actor, { action: "members.exported", targetType: "tenant", targetId: actor.tenantId, changes: { export: { before: null, after: { format, ...filters } } } });
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
