import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { taskPayloads } from "@/server/queue/payloads";
import { refreshAllOnlineDurations } from "@/server/status/online-duration-snapshot";

/** Every 5 minutes (workers/crontab): the status overview's online time, computed ahead of the page. Idempotent. */
const statusRefreshSnapshots: Task = async (payload, helpers) => {
  taskPayloads.status__refresh_snapshots.parse(payload ?? {});
  const refreshed = await refreshAllOnlineDurations(db());
  helpers.logger.info(`Refreshed the online time of ${refreshed} organisation(s)`);
};

export default statusRefreshSnapshots;
