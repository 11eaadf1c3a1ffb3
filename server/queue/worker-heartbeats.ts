import type { TDatabaseOrTransaction } from "@/server/db/client";

// A worker process that dies (killed, out of memory, its machine lost) leaves the jobs it had locked, and
// graphile-worker frees them only after 4 hours: a leaver's deprovisioning or a webhook would wait that long.
// Each worker process records a heartbeat for the ids that lock its jobs (each worker's, and each pool's, which
// locks the batch its local queue fetched); workers__release_dead_locks unlocks the jobs of ids that have
// stopped beating, and they run again (each task is idempotent).

/** How often a worker process beats. */
export const HEARTBEAT_EVERY_MS = 30_000;
/** Ten missed beats: a lock older than this whose id has not beaten for as long belongs to a dead process. */
export const DEAD_AFTER_SECONDS = 300;

/** Records that these ids' process is alive now. */
export async function recordHeartbeat(db: TDatabaseOrTransaction, workerIds: readonly string[]): Promise<void> {
  if (workerIds.length === 0) return;
  await db.$executeRaw`
    INSERT INTO worker_heartbeats (worker_id, beat_at) SELECT id, now() FROM unnest(${[...workerIds]}::text[]) AS id
    ON CONFLICT (worker_id) DO UPDATE SET beat_at = excluded.beat_at`;
}

/** A process that stops cleanly has released its jobs: its ids go. */
export async function forgetWorkers(db: TDatabaseOrTransaction, workerIds: readonly string[]): Promise<void> {
  if (workerIds.length === 0) return;
  await db.$executeRaw`DELETE FROM worker_heartbeats WHERE worker_id = ANY(${[...workerIds]}::text[])`;
}

/**
 * Unlocks the jobs and queues held by ids with no heartbeat for DEAD_AFTER_SECONDS, locked at least that long ago
 * (an id never seen counts as dead: a process from before heartbeats, or one that died before its first beat).
 * Returns the ids and how many jobs went back to the queue; old heartbeats of ids holding nothing go too.
 */
export async function releaseDeadWorkersLocks(db: TDatabaseOrTransaction): Promise<{ workerIds: string[]; jobs: number }> {
  const [dead] = await db.$queryRaw<{ worker_ids: string[] | null; jobs: bigint }[]>`
    WITH held AS (
      SELECT locked_by AS worker_id, 1 AS jobs FROM graphile_worker._private_jobs
      WHERE locked_by IS NOT NULL AND locked_at < now() - make_interval(secs => ${DEAD_AFTER_SECONDS})
      UNION ALL
      SELECT locked_by, 0 FROM graphile_worker._private_job_queues
      WHERE locked_by IS NOT NULL AND locked_at < now() - make_interval(secs => ${DEAD_AFTER_SECONDS})
    )
    SELECT array_agg(DISTINCT worker_id) AS worker_ids, coalesce(sum(jobs), 0) AS jobs FROM held
    WHERE NOT EXISTS (
      SELECT 1 FROM worker_heartbeats h WHERE h.worker_id = held.worker_id AND h.beat_at > now() - make_interval(secs => ${DEAD_AFTER_SECONDS}))`;
  const workerIds = dead?.worker_ids ?? [];
  if (workerIds.length > 0) await db.$executeRaw`SELECT graphile_worker.force_unlock_workers(${workerIds}::text[])`;
  await db.$executeRaw`
    DELETE FROM worker_heartbeats h WHERE h.beat_at < now() - interval '1 day'
      AND NOT EXISTS (SELECT 1 FROM graphile_worker._private_jobs j WHERE j.locked_by = h.worker_id)`;
  return { workerIds, jobs: Number(dead?.jobs ?? 0) };
}
