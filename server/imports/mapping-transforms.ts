import type { TImportCells } from "@/server/imports/import-row";
import type { TImportMapping, TMappingTransform } from "@/server/imports/mapping-schemas";

// Applies a mapping to one record of another system's export: the cells the
// member checks read, plus the source's account status. Pure and per row: no
// lookups, so a 100,000-row migration costs what a plain import costs.

/** The source's account status: "disabled" is offered as a lifecycle disable after the import. */
export type TSourceStatus = "active" | "disabled";
export type TMappedRecord = { cells: TImportCells; sourceStatus: TSourceStatus | null; problem?: string };

const ACTIVE = new Set(["true", "yes", "1", "enabled", "active", "provisioned", "staged", "recovery", "password_expired", "locked_out"]);
const DISABLED = new Set(["false", "no", "0", "disabled", "suspended", "deprovisioned", "inactive"]);

/** A cell's text: JSON numbers and booleans as a CSV cell would hold them, objects as JSON. */
export function cellText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value) ?? "";
}

/** A status cell as active or disabled; null when empty; undefined when not a status Tenure knows. */
export function statusOf(value: unknown): TSourceStatus | null | undefined {
  if (value === null || value === undefined) return null;
  const text = cellText(value).trim().toLowerCase();
  if (text === "") return null;
  if (ACTIVE.has(text)) return "active";
  if (DISABLED.has(text)) return "disabled";
  return undefined;
}

/** "Lovelace, Ada" (family name first, as many directories write it) or "Ada King Lovelace" (the last word is the family name). */
export function splitDisplayName(value: string): { given: string; family: string } {
  const text = value.trim().replace(/\s+/g, " ");
  const comma = text.indexOf(",");
  if (comma > 0) return { given: text.slice(comma + 1).trim(), family: text.slice(0, comma).trim() };
  const space = text.lastIndexOf(" ");
  return space > 0 ? { given: text.slice(0, space), family: text.slice(space + 1) } : { given: text, family: "" };
}

export function applyTransform(value: unknown, transform: TMappingTransform): unknown {
  // Numbers and booleans of a JSON file stay as they are for the row checks, which read them as a CSV cell's text.
  if (typeof value !== "string" && (transform === "none" || transform === "boolToStatus" || value === null || value === undefined)) return value;
  const text = cellText(value).trim();
  switch (transform) {
    case "upnLocalPart": {
      const at = text.indexOf("@");
      return at > 0 ? text.slice(0, at) : text;
    }
    case "splitDisplayNameFirst":
      return splitDisplayName(text).given;
    case "splitDisplayNameLast":
      return splitDisplayName(text).family;
    default:
      return text;
  }
}

/** A JSON value at a key path ("attributes.mobile"); the first element of an array (Keycloak's attributes are arrays). */
export function valueAtPath(record: unknown, path: string): unknown {
  let current = record;
  for (const key of path.split(".")) {
    if (Array.isArray(current)) current = current[0];
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return Array.isArray(current) ? current[0] : current;
}

/** The key paths of a JSON record, nested objects flattened (attributes.mobile), for the mapping step's list of columns. */
export function keyPaths(record: unknown, prefix = "", depth = 0, found: string[] = []): string[] {
  if (typeof record !== "object" || record === null || Array.isArray(record) || found.length >= 200) return found;
  for (const [key, value] of Object.entries(record as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const inner: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof inner === "object" && inner !== null && !Array.isArray(inner) && depth < 3) keyPaths(inner, path, depth + 1, found);
    else if (found.length < 200) found.push(path);
  }
  return found;
}

/** One record through the mapping; `read` gives a source column's (or key path's) value. */
export function mapRecord(mapping: TImportMapping, read: (source: string) => unknown): TMappedRecord {
  const cells: TImportCells = {};
  let sourceStatus: TSourceStatus | null = null;
  for (const entry of mapping.entries) {
    const raw = read(entry.source);
    if (raw === undefined) continue;
    if (entry.target === "sourceStatus") {
      const status = statusOf(raw);
      if (status === undefined) return { cells, sourceStatus, problem: `${entry.source}: “${cellText(raw).slice(0, 40)}” is not an account status Tenure knows (true/false, active/suspended…)` };
      sourceStatus = status;
      continue;
    }
    cells[entry.target] = applyTransform(raw, entry.transform);
  }
  return { cells, sourceStatus };
}
