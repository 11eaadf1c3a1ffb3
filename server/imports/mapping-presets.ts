import { createHash } from "node:crypto";
import { columnMeaning, NOT_A_FIELD } from "@/server/imports/columns";
import type { TImportMapping, TMappingEntry, TMappingTarget, TMappingTransform } from "@/server/imports/mapping-schemas";

// The exports of the systems organisations leave, as those systems write
// them, and how each column becomes a member field. Sources:
// - Microsoft Entra ID, Users → Download users (the attributes listed in Microsoft's "Download a list of users" page, Graph names).
// - Okta, the CSV of user profile attributes (login, firstName, lastName, email, mobilePhone, title, department, countryCode, status).
// - Google Workspace, Users → Download users ("First Name [Required]", "Email Address [Required]", "Status [READ ONLY]", "Mobile Phone"…).
// - Keycloak, a realm (or users) export: a JSON object whose users[] hold username, email, firstName, lastName, enabled and attributes{name: [values]}.

export const MAPPING_PRESETS = ["entra", "okta", "google", "keycloak"] as const;
export type TMappingPreset = (typeof MAPPING_PRESETS)[number];

type TPresetEntry = readonly [source: string, target: TMappingTarget, transform?: TMappingTransform];
type TPreset = {
  sourceName: string;
  /** Columns only this system writes: the header's share of them picks the preset. */
  signature: readonly string[];
  /** In order; for a target given twice, the first column the file has wins. */
  entries: readonly TPresetEntry[];
};

export const PRESETS: Record<TMappingPreset, TPreset> = {
  entra: {
    sourceName: "Microsoft Entra ID",
    signature: ["userPrincipalName", "accountEnabled", "givenName", "surname", "objectId", "usageLocation"],
    entries: [
      ["userPrincipalName", "username", "upnLocalPart"],
      ["givenName", "firstName"],
      ["surname", "lastName"],
      ["displayName", "fullName"],
      ["mail", "email"],
      ["mobilePhone", "mobile"],
      // Entra's usageLocation is the ISO country code the mobile number needs; its "country" is free text.
      ["usageLocation", "country"],
      ["jobTitle", "title"],
      ["department", "mainDepartment"],
      ["accountEnabled", "sourceStatus", "boolToStatus"],
    ],
  },
  okta: {
    sourceName: "Okta",
    signature: ["login", "firstName", "lastName", "status", "mobilePhone", "countryCode", "honorificPrefix"],
    entries: [
      ["login", "username", "upnLocalPart"],
      ["firstName", "firstName"],
      ["lastName", "lastName"],
      ["displayName", "fullName"],
      ["email", "email"],
      ["mobilePhone", "mobile"],
      ["countryCode", "country"],
      ["title", "title"],
      ["department", "mainDepartment"],
      ["status", "sourceStatus", "boolToStatus"],
    ],
  },
  google: {
    sourceName: "Google Workspace",
    signature: ["First Name [Required]", "Last Name [Required]", "Email Address [Required]", "Org Unit Path [Required]", "Status [READ ONLY]"],
    entries: [
      ["Email Address [Required]", "username", "upnLocalPart"],
      ["First Name [Required]", "firstName"],
      ["Last Name [Required]", "lastName"],
      ["Email Address [Required]", "email"],
      ["Mobile Phone", "mobile"],
      ["Employee Title", "title"],
      ["Department", "mainDepartment"],
      ["Status [READ ONLY]", "sourceStatus", "boolToStatus"],
    ],
  },
  keycloak: {
    sourceName: "Keycloak",
    signature: ["username", "enabled", "emailVerified", "createdTimestamp", "firstName", "lastName"],
    entries: [
      ["username", "username"],
      ["firstName", "firstName"],
      ["lastName", "lastName"],
      ["email", "email"],
      ["attributes.mobile", "mobile"],
      ["attributes.phoneNumber", "mobile"],
      ["attributes.country", "country"],
      ["attributes.title", "title"],
      ["attributes.department", "mainDepartment"],
      ["enabled", "sourceStatus", "boolToStatus"],
    ],
  },
};

const key = (column: string) => column.trim().toLowerCase();

/** The preset's entries for the columns this file has. */
export function presetMapping(preset: TMappingPreset, columns: readonly string[]): TImportMapping {
  const byKey = new Map(columns.map((column) => [key(column), column]));
  const entries: TMappingEntry[] = [];
  const targets = new Set<TMappingTarget>();
  for (const [source, target, transform = "none"] of PRESETS[preset].entries) {
    const column = byKey.get(key(source));
    if (!column || targets.has(target)) continue;
    targets.add(target);
    entries.push({ source: column, target, transform });
  }
  return { sourceName: PRESETS[preset].sourceName, entries };
}

/** Tenure's own column names (an export of this console, or a file written to the specification). */
export function specificationMapping(columns: readonly string[]): TImportMapping {
  const entries: TMappingEntry[] = [];
  const targets = new Set<string>();
  for (const column of columns) {
    const meaning = columnMeaning(column);
    if (!("field" in meaning) || targets.has(meaning.field)) continue;
    targets.add(meaning.field);
    entries.push({ source: column, target: meaning.field, transform: "none" });
  }
  return { sourceName: "Tenure", entries };
}

/** Every column is one Tenure's own export writes or its import reads: no mapping needed. */
export function isTenureHeader(columns: readonly string[]): boolean {
  return columns.every((column) => {
    const meaning = columnMeaning(column);
    return "field" in meaning || meaning.ignored !== NOT_A_FIELD;
  });
}

/** The system the header most likely comes from; null when no preset fits (Tenure's own columns, or an unknown system). */
export function detectPreset(columns: readonly string[]): TMappingPreset | null {
  // Tenure's own export shares names with some systems (username, enabled, firstName): a header Tenure knows entirely is Tenure's.
  if (isTenureHeader(columns)) return null;
  const present = new Set(columns.map(key));
  let best: { preset: TMappingPreset; score: number } | null = null;
  for (const preset of MAPPING_PRESETS) {
    const { signature } = PRESETS[preset];
    const score = signature.filter((column) => present.has(key(column))).length / signature.length;
    if (score >= 0.5 && (!best || score > best.score)) best = { preset, score };
  }
  return best?.preset ?? null;
}

/** The same columns in any order and case give the same fingerprint: a saved mapping is proposed again for the next export. */
export function headerFingerprint(columns: readonly string[]): string {
  const normalised = [...new Set(columns.map(key))].sort().join("\n");
  return createHash("sha256").update(normalised).digest("hex");
}
