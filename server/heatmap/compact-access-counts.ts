import type { TDatabase } from "@/server/db/client";

/** Folds the heatmap's count deltas into one row per cell; safe to run at any time, and again. Returns the cells written. */
export async function compactDepartmentAccessCounts(db: TDatabase): Promise<number> {
  const [row] = await db.$queryRaw<{ folded: number }[]>`SELECT tenure_compact_department_access_counts() AS folded`;
  return row?.folded ?? 0;
}
