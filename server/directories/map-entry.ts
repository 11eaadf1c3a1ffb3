import type { Entry } from "ldapts";
import { checkImportRow, type TImportValues, type TRowProblem } from "@/server/imports/import-row";
import { MANAGED_FIELDS, type TAttributeMapping, type TManagedField } from "@/server/directories/attribute-mapping";

// One LDAP entry as a member record: the mapped fields, checked by the same
// field rules as an import row (so a synced member is never one the console
// would refuse), its stable id, whether LDAP disabled it, its change mark and
// the department it sits in.

export type TDepartmentSource = { source: "none" } | { source: "ou_path"; baseDn: string } | { source: "attribute"; attribute: string };

export type TMappedEntry = {
  dn: string;
  /** entryUUID as is, or objectGUID as a GUID string; null when the entry has none (an error). */
  entryId: string | null;
  /** The mapped values as LDAP gave them, for the preview. */
  fields: Partial<Record<TManagedField, string | null>>;
  /** The values as a member stores them, or null when a field fails Tenure's rules (see problems). */
  values: TImportValues | null;
  disabled: boolean;
  changeMark: string | null;
  /** Department names from the top down; null when the directory does not map departments. */
  departmentPath: string[] | null;
  problems: TRowProblem[];
};

const USER_ACCOUNT_DISABLED = 0x2;

/** An attribute's first value; attribute names compare without case, as LDAP's do. */
function firstValue(entry: Entry, attribute: string): string | Buffer | null {
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  if (!key || key === "dn") return null;
  const value = entry[key];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined || first === null) return null;
  return first;
}

const asText = (value: string | Buffer | null): string | null => (value === null ? null : typeof value === "string" ? value : value.toString("utf8"));

/** Active Directory's objectGUID (16 bytes, the first three groups little-endian) as the GUID text AD shows. */
export function guidFromBytes(bytes: Buffer): string | null {
  if (bytes.length !== 16) return null;
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = [...bytes.subarray(from, to)];
    return (reverse ? part.reverse() : part).map((byte) => byte.toString(16).padStart(2, "0")).join("");
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`;
}

function readEntryId(entry: Entry, mapping: TAttributeMapping): string | null {
  const value = firstValue(entry, mapping.entryId);
  if (value === null) return null;
  if (mapping.entryIdFormat === "guid") return typeof value === "string" ? (/^[0-9a-f-]{36}$/i.test(value) ? value.toLowerCase() : null) : guidFromBytes(value);
  const text = asText(value)?.trim().toLowerCase() ?? "";
  return text.length > 0 && text.length <= 100 ? text : null;
}

function readDisabled(entry: Entry, mapping: TAttributeMapping): boolean {
  if (mapping.disabledSignal === "none" || !mapping.disabledAttribute) return false;
  const value = asText(firstValue(entry, mapping.disabledAttribute));
  if (mapping.disabledSignal === "attribute_present") return value !== null && value !== "";
  const flags = Number.parseInt(value ?? "", 10);
  return Number.isFinite(flags) && (flags & USER_ACCOUNT_DISABLED) !== 0;
}

/** The RDNs of a DN, split on unescaped commas, each trimmed. */
export function splitDn(dn: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let index = 0; index < dn.length; index += 1) {
    const char = dn[index]!;
    if (char === "\\" && index + 1 < dn.length) {
      current += char + dn[index + 1];
      index += 1;
    } else if (char === ",") {
      parts.push(current.trim());
      current = "";
    } else current += char;
  }
  if (current.trim() !== "") parts.push(current.trim());
  return parts;
}

/** An RDN's value with its escapes undone ("ou=R\2CD" -> "R,D"). */
function rdnValue(rdn: string): string {
  const value = rdn.slice(rdn.indexOf("=") + 1);
  return value.replace(/\\([0-9a-fA-F]{2}|.)/g, (_, escaped: string) => (escaped.length === 2 ? String.fromCharCode(Number.parseInt(escaped, 16)) : escaped));
}

/** The OUs between the entry and the base DN, top down: uid=ada,ou=Platform,ou=Engineering,<base> -> [Engineering, Platform]. */
export function departmentPathFromDn(dn: string, baseDn: string): string[] {
  const rdns = splitDn(dn);
  const base = splitDn(baseDn).map((rdn) => rdn.toLowerCase());
  const between = rdns.slice(1, Math.max(1, rdns.length - base.length));
  return between.filter((rdn) => rdn.toLowerCase().startsWith("ou=")).map(rdnValue).reverse();
}

function readDepartmentPath(entry: Entry, departments: TDepartmentSource): string[] | null {
  if (departments.source === "none") return null;
  if (departments.source === "ou_path") return departmentPathFromDn(entry.dn, departments.baseDn);
  const value = asText(firstValue(entry, departments.attribute))?.trim();
  return value ? [value] : [];
}

export function mapDirectoryEntry(entry: Entry, mapping: TAttributeMapping, departments: TDepartmentSource): TMappedEntry {
  const fields: Partial<Record<TManagedField, string | null>> = {};
  for (const field of MANAGED_FIELDS) {
    const attribute = mapping[field];
    if (attribute) fields[field] = asText(firstValue(entry, attribute));
  }
  if (mapping.usernameFormat === "local_part" && fields.username) fields.username = fields.username.split("@")[0] ?? "";
  const entryId = readEntryId(entry, mapping);
  const checked = checkImportRow(fields, null);
  const problems = [...checked.problems];
  if (entryId === null) problems.unshift({ field: null, message: `The entry has no usable ${mapping.entryId}` });
  const departmentPath = readDepartmentPath(entry, departments);
  if (departmentPath?.some((name) => name.length > 100)) problems.push({ field: "department", message: "A department name is longer than 100 characters" });
  return {
    dn: entry.dn,
    entryId,
    fields,
    values: problems.length === 0 ? checked.values : null,
    disabled: readDisabled(entry, mapping),
    changeMark: asText(firstValue(entry, mapping.changeMark)),
    departmentPath,
    problems,
  };
}
