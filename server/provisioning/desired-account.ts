import { Prisma } from "@/server/db/generated/client";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import type { TScimMember } from "@/server/provisioning/scim-user";

// Who should have an account at an application: whoever holds it in their
// effective access (direct, or inherited from a department or group; only
// active members hold anything). A locked member keeps theirs: a lock is a
// pause of sign-in (failed passwords, an abnormal sign-in, an admin's lock
// with an end), often caused by someone else, and closing and reopening every
// application account for it would lose the accounts' state at peers that
// delete. Disable, resign, archive and delete remove access, so they close it.

export type TDesiredAccount = { member: TScimMember; state: string; wanted: boolean };

export type TDesiredAccountRow = {
  id: bigint; username: string; email: string | null; first_name: string; last_name: string; full_name: string; mobile: string | null;
  landline: string | null; title: string | null; state: string; department_name: string | null; manager_remote_id: string | null; wanted: boolean;
};

/**
 * The member's row as the application should see it (one row, none when the member is gone), as a query the
 * sync job can join with its other reads; `tenantId` is an SQL expression so the join can pass a column.
 */
export function desiredAccountQuery(tenantId: Prisma.Sql, applicationId: bigint, memberId: bigint): Prisma.Sql {
  return Prisma.sql`
    SELECT u.id, u.username::text AS username, u.email::text AS email, u.first_name, u.last_name, u.full_name, u.mobile, u.landline, u.title, u.state,
           d.name AS department_name,
           (SELECT mp.remote_id FROM department_members h
            JOIN member_provisioning mp ON mp.user_id = h.user_id AND mp.application_id = ${applicationId} AND mp.status = 'provisioned'
            WHERE h.department_id = u.main_department_id AND h.is_head AND h.user_id <> u.id ORDER BY h.user_id LIMIT 1) AS manager_remote_id,
           (EXISTS (SELECT 1 FROM member_access ma WHERE ma.user_id = u.id AND ma.kind = 2 AND ma.item_id = ${applicationId})
            OR (u.state = 'locked' AND EXISTS (SELECT 1 FROM member_access_paths p WHERE p.user_id = u.id AND p.kind = 2 AND p.item_id = ${applicationId}))) AS wanted
    FROM users u LEFT JOIN departments d ON d.id = u.main_department_id
    WHERE u.id = ${memberId} AND u.tenant_id = ${tenantId}`;
}

export function desiredAccountOf(row: TDesiredAccountRow): TDesiredAccount {
  return {
    state: row.state,
    wanted: row.wanted,
    member: {
      id: row.id, username: row.username, email: row.email, firstName: row.first_name, lastName: row.last_name, fullName: row.full_name,
      mobile: row.mobile, landline: row.landline, title: row.title, departmentName: row.department_name, managerRemoteId: row.manager_remote_id,
    },
  };
}

export async function readDesiredAccount(db: TDatabaseOrTransaction, tenantId: bigint, applicationId: bigint, memberId: bigint): Promise<TDesiredAccount | null> {
  const [row] = await db.$queryRaw<TDesiredAccountRow[]>(desiredAccountQuery(Prisma.sql`${tenantId}`, applicationId, memberId));
  return row ? desiredAccountOf(row) : null;
}
