import type { TMatrixCell } from "@/server/access/inheritance-matrix";

// What a cell of the inheritance matrix says, in words (never colour alone).
// Pure: the matrix, its cell dialog and the unit test share it.

/** "Granted here", "Here and below", "From Engineering", "Granted here · from Engineering", or "" for no grant. */
export function cellText(cell: TMatrixCell | undefined, nameOf: (departmentId: string) => string): string {
  if (!cell) return "";
  const direct = cell.direct ? (cell.direct.subtree ? "Here and below" : "Granted here") : null;
  const inherited = cell.inheritedFrom.length > 0 ? `from ${cell.inheritedFrom.map(nameOf).join(", ")}` : null;
  if (direct && inherited) return `${direct} · ${inherited}`;
  if (direct) return direct;
  return inherited ? `F${inherited.slice(1)}` : "";
}

/** The key of a cell in the matrix's lookup. */
export const cellKey = (departmentId: string, roleId: string) => `${departmentId}:${roleId}`;
