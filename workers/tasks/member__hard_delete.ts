import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { applyDueRule } from "@/server/lifecycle/time-rules";
import { taskPayloads } from "@/server/queue/payloads";

/**
 * A deleted member is erased when the recycle bin's grace period ends: scheduled for that exact moment. Re-checks the rule under a row
 * lock, so a job that fires after the admin changed things, or twice, does nothing.
 */
const memberHardDelete: Task = async (payload, helpers) => {
  const { memberId } = taskPayloads.member__hard_delete.parse(payload);
  const changed = await applyDueRule(db(), "hard-delete", BigInt(memberId));
  helpers.logger.info(changed > 0 ? "Member hard delete: done" : "Member hard delete: nothing due");
};

export default memberHardDelete;
