import { z } from "zod";
import { printableText, zLine } from "@/server/validation/text";
import { SYSTEM_ROLE, type TSystemRole } from "@/server/shared/roles";
import { ZEntityId } from "@/server/ids";
import { normaliseMobile } from "@/server/validation/phone";
import { memberProfileShape, ZCountry, ZEmail, ZMobile, ZFirstName, ZGender, ZLastName, ZUsername } from "@/server/members/schemas";
import type { TImportField } from "@/server/imports/columns";
import type { DepartmentResolver } from "@/server/imports/department-resolver";

// One row of an import file, checked with the member record's own field rules
// (server/members/schemas.ts). A column the row does not have leaves that
// field of an existing member as it is; an empty optional cell clears it.

const isBlank = (value: unknown) => value === undefined || (typeof value === "string" && value.trim() === "");
const blankToUndefined = (value: unknown) => (isBlank(value) ? undefined : value);
const blankToNull = (value: unknown) => (isBlank(value) ? null : value);

const ROLE_BY_CELL: Record<string, TSystemRole> = { "0": "member", "1": "admin", "2": "owner", member: "member", admin: "admin", owner: "owner" };

export const ZImportRow = z.object({
  // A missing username reads as an empty one: "Enter a username".
  username: z.preprocess((value) => value ?? "", ZUsername),
  firstName: ZFirstName.optional(),
  lastName: ZLastName.optional(),
  fullName: memberProfileShape.fullName,
  // Email or mobile: an empty cell clears it (the member must keep one of the two: row-conflicts.ts).
  email: z.preprocess(blankToNull, ZEmail.nullish()),
  mobile: z.preprocess(blankToNull, ZMobile.nullish()),
  // The export writes the mobile in E.164 with its dialing code and country; a national number needs one of them.
  itc: z.preprocess(blankToUndefined, zLine().regex(/^\+?[1-9]\d{0,3}$/, "A dialing code such as +44").optional()),
  country: z.preprocess(blankToUndefined, ZCountry.optional()),
  landline: memberProfileShape.landline,
  gender: z.preprocess((value) => (isBlank(value) ? null : typeof value === "string" ? value.trim().toLowerCase() : value), ZGender.nullish()),
  title: memberProfileShape.title,
  address: memberProfileShape.address,
  // The export writes the level (0, 1, 2); people write the name.
  sysAdmin: z.preprocess(
    (value) => (isBlank(value) ? undefined : typeof value === "string" ? (ROLE_BY_CELL[value.trim().toLowerCase()] ?? value) : value),
    z.enum(["member", "admin", "owner"], { message: "Use member, admin or owner (or 0, 1, 2)" }).optional(),
  ),
  mainDeptId: z.preprocess(blankToNull, ZEntityId("A department id is digits").nullish()),
  mainDepartment: z.preprocess(blankToNull, zLine().max(1000, "Too long for a department path").nullish()),
  deptHead: z.preprocess(
    blankToUndefined,
    z.stringbool({ truthy: ["true", "yes", "y", "1"], falsy: ["false", "no", "n", "0"], error: "Use true or false" }).optional(),
  ),
});

/** A row's cells by field: text from a CSV file, any JSON value from a JSON file. */
export type TImportCells = Partial<Record<TImportField, unknown>>;

/** What is stored for a valid row: the columns it has, normalised as the member record stores them. */
export type TImportValues = {
  username: string;
  firstName?: string;
  lastName?: string;
  fullName?: string | null;
  email?: string | null;
  mobile?: string | null;
  itc?: string;
  country?: string | null;
  landline?: string | null;
  gender?: string | null;
  title?: string | null;
  address?: string | null;
  sysAdmin?: number;
  mainDepartmentId?: string | null;
  deptHead?: boolean;
  /** The system the file comes from had this account disabled (a mapped status column): the report offers a lifecycle disable. */
  disabledInSource?: true;
};

export type TRowProblem = { field: string | null; message: string };
export type TCheckedRow = { username: string | null; values: TImportValues | null; problems: TRowProblem[] };

/** JSON numbers and booleans read as the text a CSV cell would hold; null as an empty cell. */
function asCellText(value: unknown): unknown {
  if (value === null) return "";
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return value;
}

const ZImportPhone = ZImportRow.pick({ mobile: true, itc: true, country: true });

function checkMobile(row: z.output<typeof ZImportPhone>, problems: TRowProblem[]): Pick<TImportValues, "mobile" | "itc" | "country"> {
  if (row.mobile === undefined) return {};
  if (row.mobile === null) return { mobile: null };
  const dialed = !row.mobile.startsWith("+") && row.itc ? `+${row.itc.replace(/^\+/, "")}${row.mobile.replace(/^0+/, "")}` : row.mobile;
  const phone = normaliseMobile(dialed, row.country);
  if (phone) return phone;
  problems.push({
    field: "mobile",
    message: row.country || row.itc ? "Not a valid mobile number for that country" : "Not a valid mobile number: start it with + and the dialing code, or give the country",
  });
  return {};
}

const problemsOf = (error: z.ZodError): TRowProblem[] =>
  error.issues.map((issue) => ({ field: typeof issue.path[0] === "string" ? issue.path[0] : null, message: issue.message }));

/**
 * Checks one row against the field rules and resolves its department; conflicts with other rows and members are checked later, set-based.
 * Without a resolver (a directory's entries, whose departments come from the directory) department cells must not be given.
 */
export function checkImportRow(cells: TImportCells, departments: DepartmentResolver | null): TCheckedRow {
  const input = Object.fromEntries(Object.entries(cells).map(([field, value]) => [field, asCellText(value)]));
  const parsed = ZImportRow.safeParse(input);
  const username = typeof input.username === "string" ? printableText(input.username).trim().slice(0, 200) || null : null;
  if (!parsed.success) {
    const problems = problemsOf(parsed.error);
    // Report the mobile too when only other fields failed.
    const mobileFine = !problems.some((problem) => ["mobile", "itc", "country"].includes(problem.field ?? ""));
    if (mobileFine) {
      const phone = ZImportPhone.safeParse(input);
      if (phone.success) checkMobile(phone.data, problems);
    }
    return { username, values: null, problems };
  }
  const row = parsed.data;
  const problems: TRowProblem[] = [];
  const values: TImportValues = { username: row.username };
  const has = (field: TImportField) => field in cells;
  for (const field of ["firstName", "lastName", "fullName", "email", "landline", "gender", "title", "address"] as const) {
    if (has(field) && row[field] !== undefined) Object.assign(values, { [field]: row[field] });
  }
  Object.assign(values, checkMobile(row, problems));
  if (row.sysAdmin !== undefined) values.sysAdmin = SYSTEM_ROLE[row.sysAdmin];
  if (row.deptHead !== undefined) values.deptHead = row.deptHead;
  if (has("mainDeptId") || has("mainDepartment")) {
    const resolution = departments?.resolve({ id: row.mainDeptId, path: row.mainDepartment }) ?? null;
    if (resolution && "problem" in resolution) problems.push(resolution.problem);
    else values.mainDepartmentId = resolution?.departmentId ?? null;
  }
  if (values.deptHead === true && values.mainDepartmentId === null) {
    problems.push({ field: "deptHead", message: "A department head needs a main department" });
  }
  return { username: row.username, values: problems.length === 0 ? values : null, problems };
}
