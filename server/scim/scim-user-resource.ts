import { Prisma } from "@/server/db/generated/client";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import { notFound } from "@/server/scim/scim-errors";

// A member as a SCIM User (RFC 7643 §4.1 + the enterprise extension).

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

export type TScimUserRow = {
  id: bigint;
  username: string;
  scim_user_name: string | null;
  external_id: string | null;
  employee_number: string | null;
  manager_id: bigint | null;
  email: string | null;
  first_name: string;
  last_name: string;
  full_name: string;
  mobile: string | null;
  landline: string | null;
  title: string | null;
  enabled: boolean;
  state: string;
  sys_admin: number;
  department: string | null;
  created_at: Date;
  version_at: Date;
};

export const USER_SELECT = Prisma.sql`
  u.id, u.username::text AS username, s.user_name::text AS scim_user_name, s.external_id, s.employee_number, s.manager_id,
  u.email::text AS email, u.first_name, u.last_name, u.full_name, u.mobile, u.landline, u.title, u.enabled, u.state, u.sys_admin,
  (SELECT d.name FROM departments d WHERE d.id = u.main_department_id) AS department,
  u.created_at, GREATEST(u.updated_at, u.state_changed_at, COALESCE(s.updated_at, u.updated_at)) AS version_at`;

export const USER_FROM = Prisma.sql`users u LEFT JOIN scim_identities s ON s.user_id = u.id`;

/**
 * Members SCIM sees: not in the recycle bin, not archived (an archived member
 * is gone for any outside system), not DELETEd by a SCIM client (RFC 7644
 * §3.6, even when the setting kept the member disabled or resigned).
 */
export const USER_VISIBLE = Prisma.sql`u.deleted_at IS NULL AND u.state <> 'archived' AND s.deprovisioned_at IS NULL`;

export const userVersion = (row: { version_at: Date }) => `W/"${row.version_at.getTime()}"`;

export function userResource(row: TScimUserRow, baseUrl: string) {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
    id: row.id.toString(),
    ...(row.external_id ? { externalId: row.external_id } : {}),
    userName: row.scim_user_name ?? row.username,
    name: { formatted: row.full_name, givenName: row.first_name, familyName: row.last_name },
    displayName: row.full_name,
    ...(row.title ? { title: row.title } : {}),
    active: row.enabled,
    emails: row.email ? [{ value: row.email, type: "work", primary: true }] : [],
    phoneNumbers: [
      ...(row.mobile ? [{ value: row.mobile, type: "mobile" }] : []),
      ...(row.landline ? [{ value: row.landline, type: "work" }] : []),
    ],
    [ENTERPRISE_SCHEMA]: {
      ...(row.employee_number ? { employeeNumber: row.employee_number } : {}),
      ...(row.department ? { department: row.department } : {}),
      ...(row.manager_id ? { manager: { value: row.manager_id.toString(), $ref: `${baseUrl}/Users/${row.manager_id}` } } : {}),
    },
    meta: {
      resourceType: "User",
      created: row.created_at.toISOString(),
      lastModified: row.version_at.toISOString(),
      location: `${baseUrl}/Users/${row.id}`,
      version: userVersion(row),
    },
  };
}

export type TScimUser = ReturnType<typeof userResource>;

export async function loadUserRow(db: TDatabaseOrTransaction, tenantId: bigint, id: string): Promise<TScimUserRow> {
  if (!/^\d{1,18}$/.test(id)) throw notFound(`User ${id.slice(0, 40)} not found`);
  const [row] = await db.$queryRaw<TScimUserRow[]>`
    SELECT ${USER_SELECT} FROM ${USER_FROM} WHERE u.tenant_id = ${tenantId} AND u.id = ${BigInt(id)} AND ${USER_VISIBLE}`;
  if (!row) throw notFound(`User ${id} not found`);
  return row;
}
