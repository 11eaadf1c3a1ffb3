// Which column (CSV header, or JSON key) means which field of the member
// record. Names are the specification's field names, matched regardless of
// case, spaces, dashes and underscores; the export's columns are all known, so
// an export imports back. Pure: shared by the upload and the page.

/** The fields an import writes, named as in the specification (user-management: User Information). */
export const IMPORT_FIELDS = [
  "username",
  "firstName",
  "lastName",
  "fullName",
  "email",
  "mobile",
  "itc",
  "country",
  "landline",
  "gender",
  "title",
  "address",
  "sysAdmin",
  "mainDeptId",
  "mainDepartment",
  "deptHead",
] as const;
export type TImportField = (typeof IMPORT_FIELDS)[number];

/** A member the file does not know yet is created only from rows that have these, and an email or a mobile number. */
export const REQUIRED_FOR_NEW_MEMBER = ["firstName", "lastName"] as const satisfies readonly TImportField[];

export type TIgnoredColumn = { column: string; reason: string };

const normalise = (name: string) => name.trim().toLowerCase().replace(/[\s_-]+/g, "");

const FIELD_BY_NAME = new Map<string, TImportField>([
  ...IMPORT_FIELDS.map((field) => [normalise(field), field] as const),
  // The specification's parameter names, and the console's word for sysAdmin.
  ["role", "sysAdmin"],
  ["systemrole", "sysAdmin"],
  ["jobtitle", "title"],
  ["internationaldialingcode", "itc"],
  ["countrycode", "country"],
  ["primarydepartmentid", "mainDeptId"],
  ["primarydepartment", "mainDepartment"],
  ["departmenthead", "deptHead"],
]);

const READ_ONLY = "read-only: written by Tenure, not by an import";
const LIFECYCLE = "changed by lifecycle actions (lock, disable, enable, and their schedules), not by an import";
const IGNORED_REASON = new Map<string, string>([
  ["id", "members are matched by username; ids are made by Tenure"],
  ["enabled", LIFECYCLE],
  ["locked", LIFECYCLE],
  ["state", LIFECYCLE],
  ["sysadminname", "sysAdmin in words: the import reads sysAdmin (or a role column)"],
  ["roles", "roles are granted on the member's Access tab or in bulk, not by an import"],
  ["source", "set by Tenure: imported members get the source “import”"],
  ...[
    "online",
    "onlinedate",
    "offlinedate",
    "createdby",
    "createddate",
    "lastmodifiedby",
    "lastmodifieddate",
    "tenantid",
    "tenantname",
    "avatar",
    "passwordexpired",
    "passwordexpireddate",
    "passwordchangeddate",
    "deleted",
    "registrationaccounttype",
    "registrationaccount",
    "registereddeviceid",
    "userdirectoryid",
  ].map((name) => [name, READ_ONLY] as const),
  ...["disablereason", "lastlockdate", "lockstartdate", "lockenddate"].map((name) => [name, LIFECYCLE] as const),
]);

export const NOT_A_FIELD = "not a field of the member record";

export type TColumnMeaning = { field: TImportField } | { ignored: string };

/** What a column of the file means: a field to write, or why it is ignored. */
export function columnMeaning(name: string): TColumnMeaning {
  const key = normalise(name);
  const field = FIELD_BY_NAME.get(key);
  if (field) return { field };
  return { ignored: IGNORED_REASON.get(key) ?? NOT_A_FIELD };
}
