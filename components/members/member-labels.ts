import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { countryName } from "@/components/form/country-names";
import { GENDERS } from "@/server/members/schemas";

// Names a person reads for the member record's fields and values, shared by
// the profile, the forms' notices and the timeline. Pure: server or client.

export type TRole = "member" | "admin" | "owner";
export type TGender = (typeof GENDERS)[number];

export const ROLE_LABELS: Record<TRole, string> = { member: "Member", admin: "Administrator", owner: "Owner" };

export const GENDER_LABELS: Record<TGender, string> = {
  female: "Female",
  male: "Male",
  other: "Other",
  undisclosed: "Prefers not to say",
};

export const ROLE_OPTIONS = (Object.keys(ROLE_LABELS) as TRole[]).map((value) => ({ value, label: ROLE_LABELS[value] }));
export const GENDER_OPTIONS = GENDERS.map((value) => ({ value, label: GENDER_LABELS[value] }));

const FIELD_LABELS: Record<string, string> = {
  id: "Member ID",
  firstName: "First name",
  lastName: "Last name",
  fullName: "Full name",
  username: "Username",
  email: "Email",
  country: "Country",
  mobile: "Mobile number",
  itc: "Dialing code",
  landline: "Landline",
  address: "Address",
  title: "Title",
  gender: "Gender",
  role: "Role",
  sysAdmin: "Role",
  enabled: "Enabled",
  locked: "Locked",
  source: "Source",
  department: "Department",
  mainDepartmentId: "Main department",
  disableReason: "Reason disabled",
  state: "Status",
  reason: "Reason",
  lockEndDate: "Locked until",
  scheduledLeaveAt: "Leaves on",
  hardDeleteAt: "Deleted for good on",
  applications: "Applications",
  policies: "Policies",
  roles: "Roles",
  groups: "Groups",
  departments: "Departments",
  sessionsEnded: "Open sessions",
  notRestored: "Not restored (deleted meanwhile)",
  headOf: "Head of",
  // Grants and revocations record the item under its kind ("role" as well: its name, not a system role).
  group: "Group",
  application: "Application",
  policy: "Policy",
  name: "Name",
  description: "Description",
  permission: "Permission",
  parentId: "Parent department",
  status: "Status",
  lockStartDate: "Lock starts",
  startDate: "Start date",
};

/** The order fields are listed in (the forms' order); others follow, by name. */
const FIELD_ORDER = Object.keys(FIELD_LABELS);
export function compareFields(a: string, b: string): number {
  const rank = (field: string) => (FIELD_ORDER.includes(field) ? FIELD_ORDER.indexOf(field) : FIELD_ORDER.length);
  return rank(a) - rank(b) || a.localeCompare(b, "en");
}

/** "firstName" → "First name"; a field without a label of its own is still written in words. */
export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? humanize(field);
}

/** "invitationExpiresAt" or "role_template" → "Invitation expires at", "Role template". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_.]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function roleLabel(role: string): string {
  return ROLE_LABELS[role as TRole] ?? role;
}

export function genderLabel(gender: string): string {
  return GENDER_LABELS[gender as TGender] ?? gender;
}

const SYSTEM_ROLE_NAMES: Record<number, TRole> = { 0: "member", 1: "admin", 2: "owner" };
/** "GB" → "United Kingdom (GB)"; from a fixed table, not Intl, so server and browser render the same text. */
export function countryLabel(code: string): string {
  const name = countryName(code);
  return name ? `${name} (${code})` : code;
}

/** A value of an audit event's before/after, as a person reads it; null when there was none. */
export function formatFieldValue(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (field === "sysAdmin" && typeof value === "number") return roleLabel(SYSTEM_ROLE_NAMES[value] ?? String(value));
  if (field === "role" && typeof value === "string") return roleLabel(value);
  if (field === "gender" && typeof value === "string") return genderLabel(value);
  if (field === "country" && typeof value === "string") return countryLabel(value);
  if (field === "mobile" && typeof value === "string") return parsePhoneNumberFromString(value)?.formatInternational() ?? value;
  if (field === "mainDepartmentId" && (typeof value === "string" || typeof value === "number")) return `#${value}`;
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (Array.isArray(value)) return value.length === 0 ? null : value.map((item) => formatFieldValue(field, item) ?? "").join(", ");
  if (typeof value === "object" && "erased" in value) return "erased";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return value.toString();
  // A reference recorded with its name at the time (e.g. a department: { id, name }).
  if (typeof value === "object" && "name" in value && typeof value.name === "string") return value.name;
  return JSON.stringify(value);
}

/**
 * The console's one way to write a moment: "2026-11-29 10:41 UTC", absolute,
 * in `timeZone` (the browser's, through components/date-time.tsx; UTC where no
 * browser is known, so the server's first render and the page agree).
 */
export function formatDateTime(value: Date | string, timeZone = "UTC"): string {
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  if (timeZone === "UTC") return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}
