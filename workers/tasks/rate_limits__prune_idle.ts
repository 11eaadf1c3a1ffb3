import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { pruneIdleBuckets } from "@/server/rate-limits/prune-idle-buckets";
import { taskPayloads } from "@/server/queue/payloads";

/** Hourly (workers/crontab): removes rate-limit buckets that have refilled completely. Idempotent. */
const rateLimitsPruneIdle: Task = async (payload, helpers) => {
  taskPayloads.rate_limits__prune_idle.parse(payload ?? {});
  const deleted = await pruneIdleBuckets(db());
  helpers.logger.info(`Pruned ${deleted} idle rate-limit bucket(s)`);
};

export default rateLimitsPruneIdle;
