import { Prisma } from "@/server/db/generated/client";
import type { TFilterAttribute } from "@/server/scim/scim-filter-sql";

// Where each SCIM User attribute lives in Tenure (users u LEFT JOIN
// scim_identities s): the one table filters and sorting read.

/** The SCIM userName: the client's own (kept verbatim), else the member's username. */
export const USER_NAME_SQL = Prisma.sql`COALESCE(s.user_name, u.username)`;

export function userAttributeResolver(tenantId: bigint) {
  // filter=userName eq "…" is every client's first request: two index lookups, never a scan.
  const userNameEquals = (value: string) => Prisma.sql`(u.id IN (
      SELECT si.user_id FROM scim_identities si WHERE si.tenant_id = ${tenantId} AND si.user_name = ${value}::citext
      UNION ALL
      SELECT uu.id FROM users uu WHERE uu.tenant_id = ${tenantId} AND uu.username = ${value}::citext
        AND NOT EXISTS (SELECT 1 FROM scim_identities sx WHERE sx.user_id = uu.id)))`;
  const attributes: Record<string, TFilterAttribute> = {
    id: { type: "id", sql: Prisma.sql`u.id` },
    username: { type: "string", sql: USER_NAME_SQL, indexedEquals: userNameEquals },
    externalid: { type: "string", sql: Prisma.sql`s.external_id` },
    displayname: { type: "string", sql: Prisma.sql`u.full_name` },
    "name.formatted": { type: "string", sql: Prisma.sql`u.full_name` },
    "name.givenname": { type: "string", sql: Prisma.sql`u.first_name` },
    "name.familyname": { type: "string", sql: Prisma.sql`u.last_name` },
    emails: { type: "string", sql: Prisma.sql`u.email` },
    "emails.value": { type: "string", sql: Prisma.sql`u.email` },
    "emails.type": { type: "constant", value: "work" },
    "emails.primary": { type: "constant", value: true },
    phonenumbers: { type: "string", sql: Prisma.sql`u.mobile` },
    "phonenumbers.value": { type: "string", sql: Prisma.sql`u.mobile` },
    "phonenumbers.type": { type: "constant", value: "mobile" },
    title: { type: "string", sql: Prisma.sql`u.title` },
    active: { type: "boolean", sql: Prisma.sql`u.enabled` },
    "meta.created": { type: "date", sql: Prisma.sql`u.created_at` },
    "meta.lastmodified": { type: "date", sql: Prisma.sql`u.updated_at` },
    "enterprise:employeenumber": { type: "string", sql: Prisma.sql`s.employee_number` },
    "enterprise:department": { type: "string", sql: Prisma.sql`(SELECT d.name FROM departments d WHERE d.id = u.main_department_id)` },
    "enterprise:manager": { type: "id", sql: Prisma.sql`s.manager_id` },
    "enterprise:manager.value": { type: "id", sql: Prisma.sql`s.manager_id` },
  };
  return (path: string): TFilterAttribute | null => attributes[path] ?? null;
}
