import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { compactDepartmentCounts } from "@/server/org/compact-department-counts";
import { compactDepartmentAccessCounts } from "@/server/heatmap/compact-access-counts";
import { taskPayloads } from "@/server/queue/payloads";

/** Every minute (workers/crontab): folds the department tree's count deltas and the heatmap's. Idempotent. */
const departmentCompactCounts: Task = async (payload, helpers) => {
  taskPayloads.department__compact_counts.parse(payload ?? {});
  const folded = await compactDepartmentCounts(db());
  if (folded > 0) helpers.logger.info(`Folded the member counts of ${folded} department(s)`);
  const cells = await compactDepartmentAccessCounts(db());
  if (cells > 0) helpers.logger.info(`Folded the permission counts of ${cells} heatmap cell(s)`);
};

export default departmentCompactCounts;
