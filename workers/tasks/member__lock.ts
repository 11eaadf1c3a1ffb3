import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { applyDueRule } from "@/server/lifecycle/time-rules";
import { taskPayloads } from "@/server/queue/payloads";

/**
 * A scheduled lock starts (lockStartDate): scheduled for that exact moment. Re-checks the rule under a row
 * lock, so a job that fires after the admin changed things, or twice, does nothing.
 */
const memberLock: Task = async (payload, helpers) => {
  const { memberId } = taskPayloads.member__lock.parse(payload);
  const changed = await applyDueRule(db(), "lock", BigInt(memberId));
  helpers.logger.info(changed > 0 ? "Member lock: done" : "Member lock: nothing due");
};

export default memberLock;
