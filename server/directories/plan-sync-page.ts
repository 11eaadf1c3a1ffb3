import { createHash } from "node:crypto";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import { isAllowed, type TMemberState } from "@/server/shared/member-states";
import type { TChanges } from "@/server/audit/record-audit-event";
import type { TMappedEntry } from "@/server/directories/map-entry";
import { departmentChain } from "@/server/directories/department-chain";
import { planEntryWrites, readSyncMembers, type TStagedRecord } from "@/server/directories/sync-members";

// What one page of entries means, decided set-based (one lookup statement per
// page): each entry becomes a staged row with its action (create, update,
// move, link, deprovision, reenable, unchanged or error), the member it is
// about and the changes. The same rules decide in a dry run and a real run.

export type TSyncDirectory = {
  id: bigint;
  tenantId: bigint;
  departmentSource: "none" | "ou_path" | "attribute";
  linkExistingBy: string;
  deprovisionAction: string;
  reenableReturning: boolean;
  /** Linking existing members happens only in the first sync, whose plan an owner approves. */
  firstSync: boolean;
  nameOrder: string;
};

export type TSyncAction = "create" | "update" | "move" | "link" | "deprovision" | "reenable" | "unchanged" | "error";

export type TStagedEntry = {
  entryId: string;
  dn: string;
  action: TSyncAction;
  memberId: bigint | null;
  record: TStagedRecord | null;
  changes: TChanges | null;
  errors: { field: string | null; message: string }[] | null;
};

type TMatch = { entry_id: string; by_id: bigint | null; by_username: bigint | null; username_directory: bigint | null; by_email: bigint | null; email_directory: bigint | null; by_mobile: bigint | null };

/** An entry without a usable id still gets a row (its error), under a key made from its DN. */
export const placeholderEntryId = (dn: string) => `no-id:${createHash("sha256").update(dn).digest("hex").slice(0, 40)}`;

const deprovisionAction = (action: string) => (["disable", "resign", "archive", "delete"].includes(action) ? action : "disable") as "disable" | "resign" | "archive" | "delete";

/** Whether the directory's action still has something to do for a member in this state. */
export function deprovisionable(directory: Pick<TSyncDirectory, "deprovisionAction">, state: string): boolean {
  return isAllowed(deprovisionAction(directory.deprovisionAction), state as TMemberState);
}

const RETURNABLE = new Set(["disabled", "resigned", "archived", "deleted"]);

async function matchEntries(db: TDatabaseOrTransaction, directory: TSyncDirectory, entries: { entryId: string; values: NonNullable<TMappedEntry["values"]> }[]) {
  const probes = entries.map((entry) => ({ entry_id: entry.entryId, username: entry.values.username, email: entry.values.email ?? null, mobile: entry.values.mobile ?? null }));
  // One index probe per key (LATERAL ... LIMIT 1), as the import's checks do.
  return db.$queryRaw<TMatch[]>`
    SELECT r.entry_id, by_id.id AS by_id, by_username.id AS by_username, by_username.user_directory_id AS username_directory,
           by_email.id AS by_email, by_email.user_directory_id AS email_directory, by_mobile.id AS by_mobile
    FROM jsonb_to_recordset(${JSON.stringify(probes)}::jsonb) AS r(entry_id text, username citext, email citext, mobile text)
    LEFT JOIN LATERAL (SELECT id FROM users WHERE tenant_id = ${directory.tenantId} AND user_directory_id = ${directory.id} AND directory_entry_id = r.entry_id LIMIT 1) by_id ON true
    LEFT JOIN LATERAL (SELECT id, user_directory_id FROM users WHERE tenant_id = ${directory.tenantId} AND username = r.username LIMIT 1) by_username ON true
    LEFT JOIN LATERAL (SELECT id, user_directory_id FROM users WHERE tenant_id = ${directory.tenantId} AND email = r.email LIMIT 1) by_email ON true
    LEFT JOIN LATERAL (SELECT id FROM users WHERE tenant_id = ${directory.tenantId} AND mobile = r.mobile LIMIT 1) by_mobile ON true`;
}

function errorEntry(mapped: TMappedEntry, entryId: string, memberId: bigint | null, message: string, field: string | null = null): TStagedEntry {
  return { entryId, dn: mapped.dn, action: "error", memberId, record: null, changes: null, errors: [{ field, message }] };
}

/** Who else holds the entry's username, email or mobile: the entry cannot take them. */
function takenBy(match: TMatch, memberId: bigint | null): { field: string; message: string } | null {
  if (match.by_username !== null && match.by_username !== memberId) return { field: "username", message: "Another member already has this username" };
  if (match.by_email !== null && match.by_email !== memberId) return { field: "email", message: "This email address is already used by another member" };
  if (match.by_mobile !== null && match.by_mobile !== memberId) return { field: "mobile", message: "This mobile number is already used by another member" };
  return null;
}

function linkCandidate(directory: TSyncDirectory, match: TMatch): { id: bigint; directoryId: bigint | null } | null {
  if (directory.linkExistingBy === "username" && match.by_username !== null) return { id: match.by_username, directoryId: match.username_directory };
  if (directory.linkExistingBy === "email" && match.by_email !== null) return { id: match.by_email, directoryId: match.email_directory };
  return null;
}

/** Decides the action of each mapped entry of a page. */
export async function planSyncPage(db: TDatabaseOrTransaction, directory: TSyncDirectory, page: TMappedEntry[]): Promise<TStagedEntry[]> {
  const staged: TStagedEntry[] = [];
  const usable: { mapped: TMappedEntry; entryId: string; values: NonNullable<TMappedEntry["values"]> }[] = [];
  const seen = new Set<string>();
  for (const mapped of page) {
    const entryId = mapped.entryId ?? placeholderEntryId(mapped.dn);
    if (seen.has(entryId)) continue;
    seen.add(entryId);
    if (mapped.entryId === null || mapped.values === null || mapped.problems.length > 0) {
      staged.push({ entryId, dn: mapped.dn, action: "error", memberId: null, record: null, changes: null, errors: mapped.problems.length > 0 ? mapped.problems : [{ field: null, message: "The entry cannot be read" }] });
    } else usable.push({ mapped, entryId, values: mapped.values });
  }
  const matches = new Map((await matchEntries(db, directory, usable)).map((match) => [match.entry_id, match]));
  const candidateIds = new Set<bigint>();
  for (const match of matches.values()) {
    if (match.by_id !== null) candidateIds.add(match.by_id);
    const link = linkCandidate(directory, match);
    if (link) candidateIds.add(link.id);
  }
  const members = await readSyncMembers(db, directory.tenantId, directory.id, [...candidateIds], false);

  const writesFor: { index: number; entryId: string; dn: string; memberId: bigint | null; values: NonNullable<TMappedEntry["values"]> }[] = [];
  const decided = new Map<number, TStagedEntry>();
  usable.forEach(({ mapped, entryId, values }, index) => {
    const match = matches.get(entryId)!;
    const record: TStagedRecord = { username: values.username, values, disabled: mapped.disabled, departments: departmentChain(mapped, directory.departmentSource) };
    const base = { entryId, dn: mapped.dn, record, changes: null, errors: null };
    const member = match.by_id !== null ? members.get(match.by_id) : undefined;
    if (member) {
      if (mapped.disabled) {
        decided.set(index, { ...base, memberId: member.id, action: deprovisionable(directory, member.state) ? "deprovision" : "unchanged", record: { ...record, reason: "disabled" } });
        return;
      }
      if (RETURNABLE.has(member.state)) {
        const back = directory.reenableReturning && member.lastChangedByDirectory;
        decided.set(index, { ...base, memberId: member.id, action: back ? "reenable" : "unchanged" });
        return;
      }
      const taken = takenBy(match, member.id);
      if (taken) return decided.set(index, errorEntry(mapped, entryId, member.id, taken.message, taken.field));
      writesFor.push({ index, entryId, dn: mapped.dn, memberId: member.id, values });
      return;
    }
    if (mapped.disabled) {
      decided.set(index, { ...base, memberId: null, action: "unchanged", changes: null });
      return;
    }
    const candidate = linkCandidate(directory, match);
    if (candidate) {
      const linked = members.get(candidate.id);
      if (candidate.directoryId !== null) return decided.set(index, errorEntry(mapped, entryId, null, "A member with this username or email is managed by another directory (or another entry): it is never taken over"));
      if (!directory.firstSync) return decided.set(index, errorEntry(mapped, entryId, null, "A member not from this directory has this username or email: existing members are linked only by the first sync, which an owner approves"));
      if (!linked || linked.state === "deleted") return decided.set(index, errorEntry(mapped, entryId, null, "The matching member is deleted: restore them first"));
      const taken = takenBy(match, linked.id);
      if (taken) return decided.set(index, errorEntry(mapped, entryId, linked.id, taken.message, taken.field));
      writesFor.push({ index, entryId, dn: mapped.dn, memberId: linked.id, values });
      return;
    }
    const taken = takenBy(match, null);
    if (taken) return decided.set(index, errorEntry(mapped, entryId, null, taken.message, taken.field));
    if (values.firstName === undefined || values.lastName === undefined) return decided.set(index, errorEntry(mapped, entryId, null, "A new member needs a first and last name", "firstName"));
    if (!values.email && !values.mobile) return decided.set(index, errorEntry(mapped, entryId, null, "A new member needs an email address or a mobile number", "email"));
    writesFor.push({ index, entryId, dn: mapped.dn, memberId: null, values });
  });

  const writes = planEntryWrites(writesFor, members, directory.id, directory.nameOrder);
  const writeOf = new Map(writes.map((write) => [write.rowNumber, write]));
  writesFor.forEach((entry, position) => {
    const { mapped } = usable[entry.index]!;
    const record: TStagedRecord = { username: entry.values.username, values: entry.values, disabled: false, departments: departmentChain(mapped, directory.departmentSource) };
    const write = writeOf.get(position);
    const member = entry.memberId === null ? undefined : members.get(entry.memberId);
    const changes: TChanges = { ...(write?.changes ?? {}) };
    const targetKey = record.departments?.at(-1)?.key ?? null;
    const moves = member !== undefined && targetKey !== null && member.mainDepartmentKey !== targetKey;
    if (moves) changes.department = { before: member.mainDepartmentKey, after: record.departments!.map((level) => level.name).join(" / ") };
    const action: TSyncAction =
      entry.memberId === null ? "create" : member?.directoryId === null ? "link" : moves ? "move" : write ? "update" : "unchanged";
    decided.set(entry.index, { entryId: entry.entryId, dn: entry.dn, action, memberId: entry.memberId, record, changes: Object.keys(changes).length > 0 ? changes : null, errors: null });
  });
  for (let index = 0; index < usable.length; index += 1) staged.push(decided.get(index)!);
  return staged;
}
