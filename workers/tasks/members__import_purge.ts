import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { purgeImportStaging } from "@/server/imports/maintain-imports";
import { taskPayloads } from "@/server/queue/payloads";

/** Hourly (workers/crontab): deletes the staged rows of imports that ended days ago. Idempotent. */
const membersImportPurge: Task = async (payload, helpers) => {
  taskPayloads.members__import_purge.parse(payload ?? {});
  const result = await purgeImportStaging(db());
  helpers.logger.info(`Imports: ${result.purged} purged, ${result.abandoned} abandoned dry runs cancelled, ${result.interrupted} interrupted uploads closed`);
};

export default membersImportPurge;
