import type { TMatrixCell } from "@/server/access/inheritance-matrix";

// What a cell of the inheritance matrix says, in words (never colour alone).
// Pure: the matrix, its cell dialog and the unit test share it.

/** "Granted here", "Here and below", "From Engineering", "Granted here · from Engineering", or "" for no grant. */
export function cellText(cell: TMatrixCell | undefined, nameOf: (departmentId: string) => string): string {
  if (!cell) return "";
  const direct = cell.direct ? (cell.direct.subtree ? "Here and below" : "Granted here") : null;
  const ancestors = cell.inheritedFrom.map(nameOf).join(", ");
  if (direct && ancestors) return `${direct} · from ${ancestors}`;
  if (direct) return direct;
  return ancestors ? `From ${ancestors}` : "";
}

/** The key of a cell in the matrix's lookup. */
export const cellKey = (departmentId: string, roleId: string) => `${departmentId}:${roleId}`;
