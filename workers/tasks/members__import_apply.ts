import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { applyImport } from "@/server/imports/apply-import";
import { enqueueImportApply } from "@/server/imports/queue-import";
import { taskPayloads } from "@/server/queue/payloads";

/**
 * Applies an import a batch at a time for a slice of time, then hands over
 * to a fresh job (so a stopping worker waits seconds, not the whole file).
 * Idempotent: each batch commits with its checkpoint, and a finished,
 * cancelled or failed import makes the job a no-op.
 */
const membersImportApply: Task = async (payload, helpers) => {
  const { importId } = taskPayloads.members__import_apply.parse(payload);
  const id = BigInt(importId);
  const result = await applyImport(db(), id);
  if (result === "more") await db().$transaction((tx) => enqueueImportApply(tx, id));
  helpers.logger.info(`Import ${importId}: ${result === "more" ? "continues in a fresh job" : result}`);
};

export default membersImportApply;
