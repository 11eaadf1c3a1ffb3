import type { TDatabase } from "@/server/db/client";
import { applySyncRun } from "@/server/directories/apply-sync-run";
import { readSyncRun } from "@/server/directories/read-sync-run";
import { enqueueSyncRun } from "@/server/directories/request-sync";

/** What one job does for a run: read and plan if it is queued, then apply a slice; "more" re-enqueues it. */
export async function runSyncJob(db: TDatabase, runId: bigint, options: { sliceMs?: number; maxBatches?: number } = {}): Promise<string> {
  const run = await db.directorySyncRun.findUnique({ where: { id: runId }, select: { status: true } });
  if (!run) return "gone";
  if (run.status === "queued" || run.status === "reading") {
    const read = await readSyncRun(db, runId);
    if (read !== "apply") return read;
  } else if (run.status !== "applying") return run.status;
  const applied = await applySyncRun(db, runId, options);
  if (applied === "more") await db.$transaction((tx) => enqueueSyncRun(tx, runId));
  return applied;
}
