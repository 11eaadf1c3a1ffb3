import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { resumeStalledImports } from "@/server/imports/maintain-imports";
import { taskPayloads } from "@/server/queue/payloads";

/** Every minute (workers/crontab): imports whose worker died get a fresh job. Idempotent. */
const membersImportResumeStalled: Task = async (payload, helpers) => {
  taskPayloads.members__import_resume_stalled.parse(payload ?? {});
  const resumed = await resumeStalledImports(db());
  if (resumed > 0) helpers.logger.info(`Resumed ${resumed} stalled import(s)`);
};

export default membersImportResumeStalled;
