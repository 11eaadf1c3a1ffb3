import type { TDatabaseOrTransaction } from "@/server/db/client";
import { planBatch, type TBatchRow, type TCurrentMember, type TMemberProfile, type TPlannedWrite } from "@/server/imports/plan-batch";
import type { TImportValues } from "@/server/imports/import-row";
import type { TDepartmentLevel } from "@/server/directories/department-chain";

// The members a sync plans and applies against, read set-based, and the
// profile writes an entry means for them: the import's planning (planBatch),
// plus what only a directory does (a uid renamed in LDAP renames the member).

/** What a staged entry keeps: the mapped record the apply step writes, without asking LDAP again. */
export type TStagedRecord = {
  username: string | null;
  values: TImportValues | null;
  disabled: boolean;
  departments: TDepartmentLevel[] | null;
  /** For deprovision entries: why. */
  reason?: "missing" | "disabled";
};

export type TSyncMember = TCurrentMember & {
  state: string;
  directoryId: bigint | null;
  entryId: string | null;
  dn: string | null;
  /** The directory key of the member's main department (null: none, or not a mirrored one). */
  mainDepartmentKey: string | null;
  /** Whether the member's latest lifecycle receipt is this directory's (only those come back on their own). */
  lastChangedByDirectory: boolean;
};

type TMemberRow = TMemberProfile & {
  id: bigint;
  state: string;
  directory_id: bigint | null;
  entry_id: string | null;
  dn: string | null;
  main_department_id: string | null;
  main_department_key: string | null;
  last_by_directory: boolean;
  memberships: [string, boolean][] | null;
};

/** The members by id, with what planning compares; `lock` takes their rows for the apply step (in id order). */
export async function readSyncMembers(db: TDatabaseOrTransaction, tenantId: bigint, directoryId: bigint, ids: bigint[], lock: boolean): Promise<Map<bigint, TSyncMember>> {
  if (ids.length === 0) return new Map();
  if (lock) await db.$executeRaw`SELECT 1 FROM users WHERE id = ANY(${ids}::bigint[]) AND tenant_id = ${tenantId} ORDER BY id FOR UPDATE`;
  const rows = await db.$queryRaw<TMemberRow[]>`
    SELECT u.id, u.username::text AS username, u.email::text AS email, u.first_name AS "firstName", u.last_name AS "lastName", u.full_name AS "fullName",
           u.mobile, u.itc, u.country, u.landline, u.gender, u.title, u.address, u.sys_admin AS "sysAdmin", u.state,
           u.user_directory_id AS directory_id, u.directory_entry_id AS entry_id, u.directory_dn AS dn,
           u.main_department_id::text AS main_department_id,
           (SELECT d.directory_key FROM departments d WHERE d.id = u.main_department_id AND d.directory_id = ${directoryId}) AS main_department_key,
           coalesce((SELECT r.actor_directory_id = ${directoryId} FROM lifecycle_receipts r WHERE r.user_id = u.id ORDER BY r.id DESC LIMIT 1), false) AS last_by_directory,
           (SELECT json_agg(json_build_array(dm.department_id::text, dm.is_head)) FROM department_members dm WHERE dm.user_id = u.id) AS memberships
    FROM users u WHERE u.id = ANY(${ids}::bigint[]) AND u.tenant_id = ${tenantId}`;
  return new Map(
    rows.map((row) => {
      const { id, state, directory_id, entry_id, dn, main_department_id, main_department_key, last_by_directory, memberships, ...profile } = row;
      return [
        id,
        {
          id,
          profile,
          state,
          directoryId: directory_id,
          entryId: entry_id,
          dn,
          mainDepartmentId: main_department_id,
          mainDepartmentKey: main_department_key,
          lastChangedByDirectory: last_by_directory,
          memberships: new Map(memberships ?? []),
        },
      ];
    }),
  );
}

export type TEntryWrite = { entryId: string; dn: string; memberId: bigint | null; values: TImportValues; mainDepartmentId?: string };

const memberKey = (id: bigint) => `#${id}`;

/**
 * The profile writes of entries: planBatch's merge and diff (so a field LDAP
 * does not map keeps its value), then the username LDAP gives (a rename), and
 * the entry behind the member recorded on every write.
 */
export function planEntryWrites(entries: TEntryWrite[], members: Map<bigint, TSyncMember>, directoryId: bigint, nameOrder: string): TPlannedWrite[] {
  const current = new Map<string, TCurrentMember>();
  const rows: TBatchRow[] = entries.map((entry, index) => {
    const member = entry.memberId === null ? undefined : members.get(entry.memberId);
    if (member) current.set(memberKey(member.id), member);
    const values = entry.mainDepartmentId && !member ? { ...entry.values, mainDepartmentId: entry.mainDepartmentId } : entry.values;
    return { rowNumber: index, key: member ? memberKey(member.id) : entry.values.username.toLowerCase(), values };
  });
  const planned = planBatch(rows, current, nameOrder);
  // A member planBatch finds unchanged may still be renamed or moved in LDAP: look at them too.
  const unchanged = planned.unchanged.map((rowNumber): TPlannedWrite => {
    const member = members.get(entries[rowNumber]!.memberId!)!;
    return { rowNumber, key: memberKey(member.id), memberId: member.id, profile: { ...member.profile }, profileChanged: false, changes: {} };
  });
  const writes: TPlannedWrite[] = [];
  for (const write of [...planned.writes, ...unchanged]) {
    const entry = entries[write.rowNumber]!;
    const member = write.memberId === null ? undefined : members.get(write.memberId);
    if (member && member.profile.username !== entry.values.username) {
      write.changes.username = { before: member.profile.username, after: entry.values.username };
      write.profile.username = entry.values.username;
      write.profileChanged = true;
    }
    if (member && (member.entryId !== entry.entryId || member.dn !== entry.dn || member.directoryId !== directoryId)) {
      if (member.dn !== entry.dn) write.changes.directoryDn = { before: member.dn, after: entry.dn };
      write.profileChanged = true;
    }
    write.directory = { directoryId, entryId: entry.entryId, dn: entry.dn };
    if (write.memberId === null || write.profileChanged || Object.keys(write.changes).length > 0) writes.push(write);
  }
  return writes.sort((a, b) => a.rowNumber - b.rowNumber);
}
