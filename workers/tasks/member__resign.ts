import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { applyDueRule } from "@/server/lifecycle/time-rules";
import { taskPayloads } from "@/server/queue/payloads";

/**
 * A scheduled leave happens at its date: scheduled for that exact moment. Re-checks the rule under a row
 * lock, so a job that fires after the admin changed things, or twice, does nothing.
 */
const memberResign: Task = async (payload, helpers) => {
  const { memberId } = taskPayloads.member__resign.parse(payload);
  const changed = await applyDueRule(db(), "resign", BigInt(memberId));
  helpers.logger.info(changed > 0 ? "Member resign: done" : "Member resign: nothing due");
};

export default memberResign;
