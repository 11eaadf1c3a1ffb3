import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { applyDueRule } from "@/server/lifecycle/time-rules";
import { taskPayloads } from "@/server/queue/payloads";

/**
 * A pending member becomes active at their start date: scheduled for that exact moment. Re-checks the rule under a row
 * lock, so a job that fires after the admin changed things, or twice, does nothing.
 */
const memberActivate: Task = async (payload, helpers) => {
  const { memberId } = taskPayloads.member__activate.parse(payload);
  const changed = await applyDueRule(db(), "activate", BigInt(memberId));
  helpers.logger.info(changed > 0 ? "Member activate: done" : "Member activate: nothing due");
};

export default memberActivate;
