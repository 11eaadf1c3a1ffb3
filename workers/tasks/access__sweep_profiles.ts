import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { sweepAccessProfiles } from "@/server/access/sweep-access-profiles";
import { taskPayloads } from "@/server/queue/payloads";

/** Hourly (workers/crontab): access profiles no member holds any more go. Idempotent. */
const accessSweepProfiles: Task = async (payload, helpers) => {
  taskPayloads.access__sweep_profiles.parse(payload ?? {});
  const swept = await sweepAccessProfiles(db());
  if (swept > 0) helpers.logger.info(`Swept ${swept} unused access profile(s)`);
};

export default accessSweepProfiles;
