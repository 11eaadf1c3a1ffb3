import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { releaseDeadWorkersLocks } from "@/server/queue/worker-heartbeats";
import { taskPayloads } from "@/server/queue/payloads";

/** Every minute (workers/crontab): jobs locked by a worker process that died go back to the queue. Idempotent. */
const workersReleaseDeadLocks: Task = async (payload, helpers) => {
  taskPayloads.workers__release_dead_locks.parse(payload ?? {});
  const released = await releaseDeadWorkersLocks(db());
  if (released.workerIds.length > 0) {
    helpers.logger.warn(`Released ${released.jobs} job(s) locked by ${released.workerIds.length} worker(s) that stopped beating: ${released.workerIds.join(", ")}`);
  }
};

export default workersReleaseDeadLocks;
