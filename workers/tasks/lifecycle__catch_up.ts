import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { applyDueRule, TIME_RULES } from "@/server/lifecycle/time-rules";
import { taskPayloads } from "@/server/queue/payloads";

/**
 * Every minute (workers/crontab): applies any time rule that came due without
 * its own job having done so (a worker that was down, a job that failed for
 * good). The same code as the per-member jobs, so the outcome is identical.
 */
const lifecycleCatchUp: Task = async (payload, helpers) => {
  taskPayloads.lifecycle__catch_up.parse(payload ?? {});
  for (const rule of TIME_RULES) {
    const changed = await applyDueRule(db(), rule);
    if (changed > 0) helpers.logger.info(`Caught up ${changed} overdue "${rule}" rule(s)`);
  }
};

export default lifecycleCatchUp;
