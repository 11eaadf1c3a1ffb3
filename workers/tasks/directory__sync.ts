import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { runSyncJob } from "@/server/directories/run-sync-job";
import { taskPayloads } from "@/server/queue/payloads";

/**
 * A directory sync run: reads and plans (a queued run), then applies a slice
 * of batches and hands over to a fresh job. Idempotent: staged and applied
 * entries are checkpoints, and an ended run makes the job a no-op.
 */
const directorySync: Task = async (payload, helpers) => {
  const { runId } = taskPayloads.directory__sync.parse(payload);
  const result = await runSyncJob(db(), BigInt(runId));
  helpers.logger.info(`Directory sync run ${runId}: ${result}`);
};

export default directorySync;
