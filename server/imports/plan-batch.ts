import { creationChanges, diffFields, type TChanges } from "@/server/audit/record-audit-event";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { composeFullName } from "@/server/members/full-name";
import type { TImportValues } from "@/server/imports/import-row";

// What applying a batch of rows means for each member: create, update (the
// columns the file has, over the member's current values) or nothing, and
// the changes for the audit trail. Pure: the SQL around it is in apply-batch.

export type TMemberProfile = {
  username: string;
  email: string | null;
  firstName: string;
  lastName: string;
  fullName: string;
  mobile: string | null;
  itc: string | null;
  country: string | null;
  landline: string | null;
  gender: string | null;
  title: string | null;
  address: string | null;
  sysAdmin: number;
};

export type TCurrentMember = {
  id: bigint;
  profile: TMemberProfile;
  mainDepartmentId: string | null;
  /** Department id → is head, for the member's departments. */
  memberships: Map<string, boolean>;
};

export type TBatchRow = { rowNumber: number; key: string; values: TImportValues };

export type TPlannedWrite = {
  rowNumber: number;
  key: string;
  /** Null: a member to create. */
  memberId: bigint | null;
  profile: TMemberProfile;
  profileChanged: boolean;
  /** Present when the main department changes (null clears it). */
  mainDepartmentId?: string | null;
  /** A department the member must join first (their new main one). */
  joinDepartmentId?: string;
  head?: { departmentId: string; isHead: boolean };
  /** The directory entry behind the member (LDAP sync): recorded on create, and on update (which links an existing member). */
  directory?: { directoryId: bigint; entryId: string; dn: string };
  changes: TChanges;
};

const PROFILE_FIELDS = ["email", "firstName", "lastName", "landline", "gender", "title", "address", "sysAdmin"] as const;

function newProfile(values: TImportValues, nameOrder: string): TMemberProfile {
  // The dry run and the batch's own checks guarantee the required fields (REQUIRED_FOR_NEW_MEMBER).
  const firstName = values.firstName!;
  const lastName = values.lastName!;
  return {
    username: values.username,
    email: values.email ?? null,
    firstName,
    lastName,
    fullName: values.fullName ?? composeFullName(firstName, lastName, nameOrder),
    mobile: values.mobile ?? null,
    itc: values.itc ?? null,
    country: values.country ?? null,
    landline: values.landline ?? null,
    gender: values.gender ?? null,
    title: values.title ?? null,
    address: values.address ?? null,
    sysAdmin: values.sysAdmin ?? SYSTEM_ROLE.member,
  };
}

function mergedProfile(current: TMemberProfile, values: TImportValues, nameOrder: string): TMemberProfile {
  // The username keeps its spelling: rows match it regardless of case.
  const merged: TMemberProfile = { ...current };
  for (const field of PROFILE_FIELDS) {
    const value = values[field];
    if (value !== undefined) Object.assign(merged, { [field]: value });
  }
  // The same number keeps its recorded dialing code and country: members made before those were recorded
  // (null) would otherwise change on every re-import of an export.
  if (values.mobile !== undefined && values.mobile !== current.mobile) {
    Object.assign(merged, { mobile: values.mobile, itc: values.itc ?? null, country: values.country ?? null });
  }
  if (values.fullName !== undefined) merged.fullName = values.fullName ?? composeFullName(merged.firstName, merged.lastName, nameOrder);
  return merged;
}

function planDepartment(write: TPlannedWrite, values: TImportValues, current: TCurrentMember | undefined): void {
  const currentMain = current?.mainDepartmentId ?? null;
  const target = values.mainDepartmentId !== undefined ? values.mainDepartmentId : currentMain;
  if (values.mainDepartmentId !== undefined && target !== currentMain) {
    write.mainDepartmentId = target;
    write.changes.mainDepartmentId = { before: currentMain, after: target };
    if (target !== null && !current?.memberships.has(target)) write.joinDepartmentId = target;
  }
  if (values.deptHead === undefined || target === null) return;
  const wasHead = current?.memberships.get(target) ?? false;
  if (values.deptHead !== wasHead) {
    write.head = { departmentId: target, isHead: values.deptHead };
    write.changes.deptHead = { before: wasHead, after: values.deptHead };
  }
}

export function planBatch(rows: TBatchRow[], current: Map<string, TCurrentMember>, nameOrder: string): { writes: TPlannedWrite[]; unchanged: number[] } {
  const writes: TPlannedWrite[] = [];
  const unchanged: number[] = [];
  for (const row of rows) {
    const member = current.get(row.key);
    const profile = member ? mergedProfile(member.profile, row.values, nameOrder) : newProfile(row.values, nameOrder);
    const profileChanges = member ? diffFields(member.profile, profile) : creationChanges(profile);
    const write: TPlannedWrite = {
      rowNumber: row.rowNumber,
      key: row.key,
      memberId: member?.id ?? null,
      profile,
      profileChanged: Object.keys(profileChanges).length > 0,
      changes: { ...profileChanges },
    };
    planDepartment(write, row.values, member);
    if (member && Object.keys(write.changes).length === 0) unchanged.push(row.rowNumber);
    else writes.push(write);
  }
  return { writes, unchanged };
}
