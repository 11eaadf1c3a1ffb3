import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { applyDueRule } from "@/server/lifecycle/time-rules";
import { taskPayloads } from "@/server/queue/payloads";

/**
 * A lock ends at its lockEndDate: scheduled for that exact moment. Re-checks the rule under a row
 * lock, so a job that fires after the admin changed things, or twice, does nothing.
 */
const memberUnlock: Task = async (payload, helpers) => {
  const { memberId } = taskPayloads.member__unlock.parse(payload);
  const changed = await applyDueRule(db(), "unlock", BigInt(memberId));
  helpers.logger.info(changed > 0 ? "Member unlock: done" : "Member unlock: nothing due");
};

export default memberUnlock;
