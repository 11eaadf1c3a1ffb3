import type { ReactNode } from "react";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { DateTime } from "@/components/date-time";
import { countryLabel, genderLabel, roleLabel } from "@/components/members/member-labels";
import type { TLoadedMember } from "@/components/members/load-member";
import { STATUS_LABELS } from "@/components/members/member-list-labels";
import type { TMemberState } from "@/server/shared/member-states";

/** `field`: the specification's name for it (user-management: User Information), shown beside the label. */
type TRow = { key: string; label: string; value: ReactNode; readOnly?: boolean; field?: string };

const yesNo = (value: boolean) => (value ? "Yes" : "No");
const dateOrNull = (value: Date | null) => (value ? <DateTime value={value} /> : null);
const byWhom = (date: Date, who: { fullName: string } | null) => (
  <>
    <DateTime value={date} />
    {who ? ` by ${who.fullName}` : ""}
  </>
);

function formatMobile(mobile: string | null): string | null {
  if (!mobile) return null;
  return parsePhoneNumberFromString(mobile)?.formatInternational() ?? mobile;
}

function ReadOnlyBadge() {
  return (
    <>
      {/* The badge is drawn for the eye; assistive tech reads " (read-only)", apart from the field's name. */}
      <span aria-hidden="true" className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-[0.65rem] font-medium uppercase tracking-wide text-slate-700">
        read-only
      </span>
      <span className="sr-only"> (read-only)</span>
    </>
  );
}

function Section({ title, rows }: { title: string; rows: TRow[] }) {
  return (
    <section aria-labelledby={`profile-${title}`} className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id={`profile-${title}`} className="mb-3 text-sm font-semibold text-slate-900">
        {title}
      </h2>
      <dl className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
        {rows.map((row) => (
          <div key={row.key} className="contents">
            <dt className="text-slate-600">
              {row.label}
              {/* Real spaces: the term reads "Locked locked (read-only)", not "Lockedlockedread-only". */}
              {row.field ? <> <code className="ml-1.5 text-[0.7rem] text-slate-600">{row.field}</code></> : null}
              {row.readOnly ? <ReadOnlyBadge /> : null}
            </dt>
            <dd className="break-words" data-testid={`member-${row.key}`} data-field={row.field}>
              {row.value === null || row.value === undefined || row.value === "" ? (
                <span className="italic text-slate-600">Not set</span>
              ) : (
                <span className="font-medium text-slate-900">{row.value}</span>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Every field of the member record; the ones only the system writes are marked read-only. */
export function MemberProfile({ member, note }: { member: TLoadedMember; note?: ReactNode }) {
  const mainDepartment = member.departments.find((department) => department.id === member.mainDepartmentId);
  const sections: { title: string; rows: TRow[] }[] = [
    {
      title: "Identity",
      rows: [
        { key: "first-name", field: "firstName", label: "First name", value: member.firstName },
        { key: "last-name", field: "lastName", label: "Last name", value: member.lastName },
        { key: "full-name", field: "fullName", label: "Full name", value: member.fullName },
        { key: "username", field: "username", label: "Username", value: member.username },
        { key: "email", field: "email", label: "Email", value: member.email },
      ],
    },
    {
      title: "Contact",
      rows: [
        { key: "mobile", field: "mobile", label: "Mobile number", value: formatMobile(member.mobile) },
        { key: "itc", field: "itc", label: "Dialing code", value: member.itc, readOnly: true },
        { key: "country", field: "country", label: "Country", value: member.country ? countryLabel(member.country) : null },
        { key: "landline", field: "landline", label: "Landline", value: member.landline },
        { key: "address", field: "address", label: "Address", value: member.address },
      ],
    },
    {
      title: "Work",
      rows: [
        { key: "title", field: "title", label: "Title", value: member.title },
        { key: "gender", field: "gender", label: "Gender", value: member.gender ? genderLabel(member.gender) : null },
        { key: "role", label: "Role", value: roleLabel(member.role) },
        { key: "sys-admin", field: "sysAdmin", label: "System role level", value: String(member.sysAdmin), readOnly: true },
        {
          key: "main-department",
          label: "Main department",
          value: mainDepartment?.name ?? (member.mainDepartmentId ? `#${member.mainDepartmentId.toString()}` : null),
          readOnly: true,
        },
        { key: "main-dept-id", field: "mainDeptId", label: "Main department ID", value: member.mainDepartmentId?.toString() ?? null, readOnly: true },
        { key: "dept-head", field: "deptHead", label: "Head of main department", value: yesNo(member.deptHead), readOnly: true },
      ],
    },
    {
      title: "Status",
      rows: [
        { key: "state", label: "Lifecycle state", value: STATUS_LABELS[member.state as TMemberState] ?? member.state, readOnly: true },
        { key: "enabled", field: "enabled", label: "Enabled", value: yesNo(member.enabled), readOnly: true },
        { key: "disable-reason", field: "disableReason", label: "Reason disabled", value: member.disableReason, readOnly: true },
        { key: "locked", field: "locked", label: "Locked", value: yesNo(member.locked), readOnly: true },
        { key: "last-locked-at", field: "lastLockDate", label: "Last locked", value: dateOrNull(member.lastLockedAt), readOnly: true },
        { key: "lock-start-at", field: "lockStartDate", label: "Lock starts", value: dateOrNull(member.lockStartAt), readOnly: true },
        { key: "lock-end-at", field: "lockEndDate", label: "Lock ends", value: dateOrNull(member.lockEndAt), readOnly: true },
        { key: "online", field: "online", label: "Online", value: yesNo(member.online), readOnly: true },
        { key: "online-at", field: "onlineDate", label: "Last online", value: dateOrNull(member.onlineAt), readOnly: true },
        { key: "offline-at", field: "offlineDate", label: "Last offline", value: dateOrNull(member.offlineAt), readOnly: true },
        { key: "password-expired", field: "passwordExpired", label: "Password expired", value: yesNo(member.passwordExpired), readOnly: true },
        { key: "password-expires-at", field: "passwordExpiredDate", label: "Password expires", value: dateOrNull(member.passwordExpiresAt), readOnly: true },
        { key: "password-changed-at", field: "passwordChangedDate", label: "Password changed", value: dateOrNull(member.passwordChangedAt), readOnly: true },
        { key: "archived-at", label: "Archived", value: dateOrNull(member.archivedAt), readOnly: true },
        { key: "deleted", field: "deleted", label: "Deleted", value: yesNo(member.deletedAt !== null), readOnly: true },
        { key: "deleted-at", label: "Deleted on", value: dateOrNull(member.deletedAt), readOnly: true },
      ],
    },
    {
      title: "Record",
      rows: [
        { key: "id", field: "id", label: "Member ID", value: member.id.toString(), readOnly: true },
        { key: "tenant-id", field: "tenantId", label: "Organisation ID", value: member.tenantId.toString(), readOnly: true },
        { key: "organisation", field: "tenantName", label: "Organisation", value: `${member.tenantName} (#${member.tenantId.toString()})`, readOnly: true },
        { key: "source", field: "source", label: "Source", value: member.source, readOnly: true },
        { key: "registration-account-type", field: "registrationAccountType", label: "Registration account type", value: member.registrationAccountType, readOnly: true },
        { key: "registration-account", field: "registrationAccount", label: "Registration account", value: member.registrationAccount, readOnly: true },
        { key: "registered-device-id", field: "registeredDeviceId", label: "Registered device", value: member.registeredDeviceId, readOnly: true },
        { key: "avatar-url", field: "avatar", label: "Avatar URL", value: member.avatarUrl, readOnly: true },
        {
          key: "user-directory-id",
          field: "userDirectoryId",
          label: "User directory",
          value: member.managedBy?.directoryId ? `${member.managedBy.directoryName} (#${member.managedBy.directoryId})` : (member.userDirectoryId?.toString() ?? null),
          readOnly: true,
        },
        { key: "created", field: "createdDate", label: "Created", value: byWhom(member.createdAt, member.creator), readOnly: true },
        { key: "last-modified", field: "lastModifiedDate", label: "Last modified", value: byWhom(member.updatedAt, member.lastModifier), readOnly: true },
        { key: "created-by", field: "createdBy", label: "Added by (ID)", value: member.createdBy?.toString() ?? null, readOnly: true },
        { key: "last-modified-by", field: "lastModifiedBy", label: "Last modified by (ID)", value: member.lastModifiedBy?.toString() ?? null, readOnly: true },
      ],
    },
  ];
  // Fields the member's directory fills are read-only here too (changed in the directory, by its sync).
  const managedFields: readonly string[] = member.managedBy?.fields ?? [];
  for (const section of sections) for (const row of section.rows) if (row.field && managedFields.includes(row.field)) row.readOnly = true;
  return (
    <div className="space-y-4">
      <p className="text-xs text-slate-500">
        {note ?? (
          <>
            Fields marked <ReadOnlyBadge /> are set by the system; the others change through Edit. Times are in your browser&apos;s time zone.
          </>
        )}
      </p>
      {sections.map((section) => (
        <Section key={section.title} title={section.title} rows={section.rows} />
      ))}
    </div>
  );
}
