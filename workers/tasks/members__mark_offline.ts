import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { markIdleMembersOffline } from "@/server/auth/member-presence";
import { taskPayloads } from "@/server/queue/payloads";

/** Every minute (workers/crontab): members whose last session went idle or expired go offline. Idempotent. */
const membersMarkOffline: Task = async (payload, helpers) => {
  taskPayloads.members__mark_offline.parse(payload ?? {});
  const marked = await markIdleMembersOffline(db());
  if (marked > 0) helpers.logger.info(`Marked ${marked} member(s) offline`);
};

export default membersMarkOffline;
