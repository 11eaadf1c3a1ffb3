import { takesBinaryArrays, type TSqlTransaction } from "@/server/db/sql-transaction";
import { Prisma } from "@/server/db/generated/client";
import { unnestRows, type TUnnestColumn } from "@/server/db/unnest-rows";
import { ConflictError, databaseErrorOf } from "@/server/errors";
import { asMemberConflict } from "@/server/members/member-conflicts";
import { notifyContactChanges } from "@/server/members/contact-change-notice";
import type { TCurrentMember, TMemberProfile, TPlannedWrite } from "@/server/imports/plan-batch";

// The writes of one batch, set-based: a fixed number of statements whatever
// the number of rows. Audit events and outcomes are the caller's (apply-import).
// Each UPDATE finds its rows by key (`id = ANY(...)`) beside the join on the
// unnested values: on that join alone the planner walked users' primary key
// from its start (a merge join), once per batch, a cost growing with the tenant.

const profileColumn = (name: string, type: "citext" | "varchar", pick: (profile: TMemberProfile) => string | null): TUnnestColumn<TPlannedWrite> => ({
  name,
  type,
  value: (write) => pick(write.profile),
});

/** The member's record as the batch writes it, a typed array per column (server/db/unnest-rows.ts). */
const MEMBER_COLUMNS: TUnnestColumn<TPlannedWrite>[] = [
  profileColumn("username", "citext", (profile) => profile.username),
  profileColumn("email", "citext", (profile) => profile.email),
  profileColumn("first_name", "varchar", (profile) => profile.firstName),
  profileColumn("last_name", "varchar", (profile) => profile.lastName),
  profileColumn("full_name", "varchar", (profile) => profile.fullName),
  profileColumn("mobile", "varchar", (profile) => profile.mobile),
  profileColumn("itc", "varchar", (profile) => profile.itc),
  profileColumn("country", "varchar", (profile) => profile.country),
  profileColumn("landline", "varchar", (profile) => profile.landline),
  profileColumn("gender", "varchar", (profile) => profile.gender),
  profileColumn("title", "varchar", (profile) => profile.title),
  profileColumn("address", "varchar", (profile) => profile.address),
  { name: "sys_admin", type: "int", value: (write) => write.profile.sysAdmin },
  // The directory entry behind the member (LDAP sync).
  { name: "directory_id", type: "bigint", value: (write) => write.directory?.directoryId ?? null },
  { name: "directory_entry_id", type: "varchar", value: (write) => write.directory?.entryId ?? null },
  { name: "directory_dn", type: "varchar", value: (write) => write.directory?.dn ?? null },
];

const CREATE_COLUMNS: TUnnestColumn<TPlannedWrite>[] = [
  { name: "row_number", type: "int", value: (write) => write.rowNumber },
  ...MEMBER_COLUMNS,
  { name: "main_department_id", type: "bigint", value: (write) => (write.mainDepartmentId ? BigInt(write.mainDepartmentId) : null) },
];

const UPDATE_COLUMNS: TUnnestColumn<TPlannedWrite>[] = [{ name: "id", type: "bigint", value: (write) => write.memberId }, ...MEMBER_COLUMNS];

/**
 * The current values of the batch's existing members, locked (in id order, so two writers never deadlock). The dry run
 * staged each row linked to the member its username named (stage-import): a probe by id, not by a case-insensitive
 * username (whose comparisons were a tenth of the apply's database time). A linked member renamed since is not this
 * row's (the row then creates, and a username taken meanwhile fails it); a row the dry run found new is not probed:
 * a member given its username since is the INSERT's unique check, and the row fails with why.
 */
export async function lockCurrentMembers(tx: TSqlTransaction, tenantId: bigint, linked: { key: string; memberId: bigint }[]): Promise<Map<string, TCurrentMember>> {
  if (linked.length === 0) return new Map();
  const found = await tx.$queryRaw<(TMemberProfile & { key: string; id: bigint; mainDepartmentId: string | null })[]>`
    SELECT lower(u.username::text) AS key, u.id, u.username::text AS username, u.email::text AS email, u.first_name AS "firstName", u.last_name AS "lastName",
           u.full_name AS "fullName", u.mobile, u.itc, u.country, u.landline, u.gender, u.title, u.address, u.sys_admin AS "sysAdmin",
           u.main_department_id::text AS "mainDepartmentId"
    FROM users u
    WHERE u.id = ANY(${linked.map((row) => row.memberId)}::bigint[]) AND u.tenant_id = ${tenantId} AND u.deleted_at IS NULL
    ORDER BY u.id
    FOR UPDATE`;
  const keyOf = new Map(linked.map((row) => [row.memberId, row.key]));
  const rows = found.filter((row) => keyOf.get(row.id) === row.key);
  const memberships = await tx.$queryRaw<{ user_id: bigint; department_id: string; is_head: boolean }[]>`
    SELECT user_id, department_id::text AS department_id, is_head FROM department_members WHERE user_id = ANY(${rows.map((row) => row.id)}::bigint[])`;
  const members = new Map<string, TCurrentMember>();
  for (const { key, id, mainDepartmentId, ...profile } of rows) members.set(key, { id, profile, mainDepartmentId, memberships: new Map() });
  const byId = new Map([...members.values()].map((member) => [member.id, member]));
  for (const membership of memberships) byId.get(membership.user_id)?.memberships.set(membership.department_id, membership.is_head);
  return members;
}

/**
 * Creates and updates the members of the writes; returns each row's member id.
 * `skipTakenCreates`: a new member whose username, email or mobile another member holds is not created (and has no id
 * in the result) instead of failing the statement: the caller explains those rows; the other writes go ahead.
 */
export async function writeMembers(
  tx: TSqlTransaction,
  tenantId: bigint,
  actorId: bigint | null,
  allWrites: TPlannedWrite[],
  options: { source?: "import" | "ldap" | "scim"; skipTakenCreates?: boolean } = {},
): Promise<Map<number, bigint>> {
  const ids = new Map<number, bigint>();
  const creates = allWrites.filter((write) => write.memberId === null);
  // A new member is written with their main department at once: the membership that key points at is inserted
  // below, and its check waits until then. Setting it by an UPDATE afterwards rewrote every new row and all its
  // index entries (a freshly filled page has no room for a cheaper in-place update): as costly as the INSERT.
  const withMainDepartment = creates.some((write) => write.mainDepartmentId);
  if (withMainDepartment) await tx.$executeRaw`SET CONSTRAINTS users_main_department_fkey DEFERRED`;
  if (creates.length > 0) {
    const created = await tx.$queryRaw<{ id: bigint; key: string }[]>`
      INSERT INTO users (tenant_id, username, email, first_name, last_name, full_name, mobile, itc, country, landline, gender, title, address,
                         sys_admin, source, created_by, last_modified_by, user_directory_id, directory_entry_id, directory_dn, main_department_id)
      SELECT ${tenantId}, r.username, r.email, r.first_name, r.last_name, r.full_name, r.mobile, r.itc, r.country, r.landline, r.gender, r.title,
             r.address, r.sys_admin, ${options.source ?? "import"}, ${actorId}::bigint, ${actorId}::bigint, r.directory_id, r.directory_entry_id, r.directory_dn,
             r.main_department_id
      FROM ${unnestRows(creates, CREATE_COLUMNS, "r", takesBinaryArrays(tx))}
      ORDER BY r.row_number
      ${options.skipTakenCreates ? Prisma.sql`ON CONFLICT DO NOTHING` : Prisma.empty}
      RETURNING id, lower(username::text) AS key`;
    // Usernames are unique within the valid rows (the dry run refuses duplicates), so the key finds the row.
    const rowOfKey = new Map(creates.map((write) => [write.key, write.rowNumber]));
    for (const row of created) ids.set(rowOfKey.get(row.key)!, row.id);
  }
  for (const write of allWrites) if (write.memberId !== null) ids.set(write.rowNumber, write.memberId);
  const writes = allWrites.filter((write) => ids.has(write.rowNumber));
  const idOf = (write: TPlannedWrite) => ids.get(write.rowNumber)!;

  const joins = writes.filter((write) => write.joinDepartmentId !== undefined);
  if (joins.length > 0) {
    await tx.$executeRaw`
      INSERT INTO department_members (department_id, user_id)
      SELECT * FROM unnest(${joins.map((write) => BigInt(write.joinDepartmentId!))}::bigint[], ${joins.map(idOf)}::bigint[])
      ON CONFLICT DO NOTHING`;
  }
  const updates = writes.filter((write) => write.memberId !== null && write.profileChanged);
  if (updates.length > 0) {
    // `prior` is read in the statement's snapshot, so RETURNING gives each member's contact before the update.
    const moved = await tx.$queryRaw<{ id: bigint; full_name: string; old_email: string; email_changed: boolean; mobile_changed: boolean }[]>`
      UPDATE users u SET username = r.username, email = r.email, first_name = r.first_name, last_name = r.last_name, full_name = r.full_name,
             mobile = r.mobile, itc = r.itc, country = r.country, landline = r.landline, gender = r.gender, title = r.title, address = r.address,
             sys_admin = r.sys_admin, last_modified_by = ${actorId}::bigint, updated_at = now(),
             user_directory_id = coalesce(r.directory_id, u.user_directory_id), directory_entry_id = coalesce(r.directory_entry_id, u.directory_entry_id),
             directory_dn = coalesce(r.directory_dn, u.directory_dn)
      FROM ${unnestRows(updates, UPDATE_COLUMNS, "r", takesBinaryArrays(tx))}
      CROSS JOIN LATERAL (SELECT o.email, o.mobile, o.full_name FROM users o WHERE o.id = r.id) prior
      WHERE u.id = ANY(${updates.map((write) => write.memberId!)}::bigint[]) AND u.id = r.id AND u.tenant_id = ${tenantId}
      RETURNING u.id, prior.full_name, prior.email::text AS old_email, r.email IS DISTINCT FROM prior.email AS email_changed, r.mobile IS DISTINCT FROM prior.mobile AS mobile_changed`;
    await notifyContactChanges(
      tx,
      tenantId,
      moved.map((row) => ({
        memberId: row.id,
        fullName: row.full_name,
        oldEmail: row.old_email,
        fields: [...(row.email_changed ? (["email"] as const) : []), ...(row.mobile_changed ? (["mobile"] as const) : [])],
      })),
    );
  }
  // The new members' main departments point at memberships that exist now: checked here, where a refusal still names this batch.
  if (withMainDepartment) await tx.$executeRaw`SET CONSTRAINTS users_main_department_fkey IMMEDIATE`;
  const moves = writes.filter((write) => write.mainDepartmentId !== undefined && write.memberId !== null);
  if (moves.length > 0) {
    await tx.$executeRaw`
      UPDATE users u SET main_department_id = t.department_id, last_modified_by = ${actorId}::bigint, updated_at = now()
      FROM unnest(${moves.map(idOf)}::bigint[], ${moves.map((write) => (write.mainDepartmentId ? BigInt(write.mainDepartmentId) : null))}::bigint[]) AS t(id, department_id)
      WHERE u.id = ANY(${moves.map(idOf)}::bigint[]) AND u.id = t.id AND u.tenant_id = ${tenantId}`;
  }
  const heads = writes.filter((write) => write.head !== undefined);
  if (heads.length > 0) {
    await tx.$executeRaw`
      UPDATE department_members dm SET is_head = t.is_head
      FROM unnest(${heads.map((write) => BigInt(write.head!.departmentId))}::bigint[], ${heads.map(idOf)}::bigint[], ${heads.map((write) => write.head!.isHead)}::boolean[])
        AS t(department_id, user_id, is_head)
      WHERE dm.user_id = ANY(${heads.map(idOf)}::bigint[]) AND dm.department_id = t.department_id AND dm.user_id = t.user_id`;
  }
  return ids;
}

export type TRowRefusal = { field: string | null; message: string };

/**
 * Why the database refused a row, when the error concerns that row's data
 * (a unique value taken meanwhile, a constraint, an archived member), or
 * null for anything else (a lost connection must fail the job, not the row).
 */
export function rowRefusal(error: unknown): TRowRefusal | null {
  const conflict = asMemberConflict(error);
  if (conflict instanceof ConflictError) return { field: Object.keys(conflict.fieldErrors)[0] ?? null, message: conflict.message };
  const failure = databaseErrorOf(error);
  const code = failure?.sqlState ?? "";
  if (code === "P0001" && failure?.message.includes("member_archived")) {
    return { field: null, message: "This member is archived: unarchive them before an import changes them" };
  }
  if (code.startsWith("22") || code.startsWith("23") || code === "P0001") {
    return { field: null, message: `The database refused this row: ${(failure?.message || code).slice(0, 200)}` };
  }
  return null;
}
