import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { queueDueSyncs, resumeStalledSyncs } from "@/server/directories/schedule-syncs";
import { taskPayloads } from "@/server/queue/payloads";

/** Every minute (workers/crontab): scheduled directories get their run; runs whose worker died get a fresh job. Idempotent. */
const directorySyncDue: Task = async (payload, helpers) => {
  taskPayloads.directory__sync_due.parse(payload ?? {});
  const queued = await queueDueSyncs(db());
  const resumed = await resumeStalledSyncs(db());
  if (queued + resumed > 0) helpers.logger.info(`Directory syncs: ${queued} queued, ${resumed} resumed`);
};

export default directorySyncDue;
