import type { TMappedEntry } from "@/server/directories/map-entry";

// The departments an entry sits in, top down, each with the key its mirrored
// department keeps (departments.directory_key): the path of lower-cased names
// from the top ("ou:" for an OU path, "attr:" for an attribute's value). So
// the same OU always finds the same department, and a person whose path
// changed is transferred to the department of the new path.

export type TDepartmentLevel = { key: string; name: string };

export function departmentChain(entry: Pick<TMappedEntry, "departmentPath">, source: "none" | "ou_path" | "attribute"): TDepartmentLevel[] | null {
  if (source === "none" || entry.departmentPath === null || entry.departmentPath.length === 0) return null;
  const prefix = source === "ou_path" ? "ou:" : "attr:";
  return entry.departmentPath.map((name, index) => ({
    key: `${prefix}${JSON.stringify(entry.departmentPath!.slice(0, index + 1).map((part) => part.trim().toLowerCase()))}`.slice(0, 1000),
    name: name.trim(),
  }));
}
