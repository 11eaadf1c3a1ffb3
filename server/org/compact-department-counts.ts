import type { TDatabase } from "@/server/db/client";

/** Folds the tree's count deltas into one row per department; safe to run at any time, and again. Returns the departments folded. */
export async function compactDepartmentCounts(db: TDatabase): Promise<number> {
  const [row] = await db.$queryRaw<{ folded: number }[]>`SELECT tenure_compact_department_counts() AS folded`;
  return row?.folded ?? 0;
}
