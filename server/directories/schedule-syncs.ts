import type { TDatabase } from "@/server/db/client";
import { FULL_SYNC_EVERY_HOURS, SYNC_STALLED_AFTER_MINUTES } from "@/server/directories/sync-limits";
import { enqueueSyncRun, requestSyncRun } from "@/server/directories/request-sync";

// The schedule: a directory with an interval whose last run is older than it
// gets a run (full when no full run succeeded in the last day: only a full
// run sees who left; incremental otherwise). Directories whose first sync
// nobody approved are not scheduled: their dry run waits for an owner.

export async function queueDueSyncs(db: TDatabase): Promise<number> {
  const due = await db.$queryRaw<{ id: bigint; tenant_id: bigint; full: boolean }[]>`
    SELECT d.id, d.tenant_id,
           NOT EXISTS (SELECT 1 FROM directory_sync_runs r WHERE r.directory_id = d.id AND r.kind = 'full' AND r.status = 'succeeded'
                       AND r.created_at > now() - make_interval(hours => ${FULL_SYNC_EVERY_HOURS})) AS full
    FROM directories d
    WHERE d.sync_interval_minutes IS NOT NULL AND d.first_sync_approved_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM directory_sync_runs r WHERE r.directory_id = d.id
                      AND (r.status IN ('queued', 'reading', 'applying', 'awaiting_approval', 'stopped')
                           OR r.created_at > now() - make_interval(mins => d.sync_interval_minutes)))`;
  for (const directory of due) await requestSyncRun(db, { tenantId: directory.tenant_id, memberId: null }, directory.id, directory.full ? "full" : "incremental");
  return due.length;
}

/** Runs at work whose heartbeat stopped (the worker died): a fresh job continues them (the job key keeps it to one). */
export async function resumeStalledSyncs(db: TDatabase): Promise<number> {
  const stalled = await db.$queryRaw<{ id: bigint }[]>`
    SELECT id FROM directory_sync_runs
    WHERE status IN ('queued', 'reading', 'applying') AND coalesce(heartbeat_at, created_at) < now() - make_interval(mins => ${SYNC_STALLED_AFTER_MINUTES})`;
  if (stalled.length > 0) await db.$transaction(async (tx) => {
    for (const run of stalled) await enqueueSyncRun(tx, run.id);
  });
  return stalled.length;
}
