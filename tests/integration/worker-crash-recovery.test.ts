import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { serverEnv } from "@/server/env";
import { DEAD_AFTER_SECONDS } from "@/server/queue/worker-heartbeats";
import { startWorker, type TWorker } from "@/workers/start-worker";
import { waitUntil } from "../support/wait-until";

// A worker process that dies leaves its jobs locked; graphile-worker alone frees them after 4 hours. A real
// worker records heartbeats for the ids that lock its jobs, and workers__release_dead_locks (run by that
// worker) unlocks the jobs of an id that stopped beating, which then run; a live worker's jobs stay its own.

const started: TWorker[] = [];
afterAll(async () => {
  await Promise.all(started.map((worker) => worker.stop()));
});

type TJobRow = { id: bigint; locked_by: string | null };
const jobRow = async (id: bigint) => (await db().$queryRaw<TJobRow[]>`SELECT id, locked_by FROM graphile_worker._private_jobs WHERE id = ${id}`)[0] ?? null;
const heartbeats = () => db().$queryRaw<{ worker_id: string; beat_at: Date }[]>`SELECT worker_id, beat_at FROM worker_heartbeats`;

/** A prune job (idempotent, no payload) that looks taken by `workerId` long enough ago to be past the heartbeat's threshold. */
async function jobLockedBy(workerId: string): Promise<bigint> {
  // Queued for later first, so that no worker takes it before it looks taken (a statement sees no row its own CTE adds).
  const [added] = await db().$queryRaw<{ id: bigint }[]>`SELECT id FROM graphile_worker.add_job('rate_limits__prune_idle', '{}'::json, run_at => now() + interval '1 hour')`;
  await db().$executeRaw`
    UPDATE graphile_worker._private_jobs SET locked_by = ${workerId}, locked_at = now() - make_interval(secs => ${DEAD_AFTER_SECONDS + 60}), run_at = now() - interval '1 minute'
    WHERE id = ${added!.id}`;
  return added!.id;
}

describe("worker crash recovery", () => {
  it("beats for its locking ids, frees a dead process's job (which then runs), keeps a live one's, and forgets its ids when it stops", async () => {
    const before = new Set((await heartbeats()).map((row) => row.worker_id));
    const worker = await startWorker({ connectionString: serverEnv().DATABASE_URL, concurrency: 1, deliveryConcurrency: 2, crontab: false, log: () => undefined });
    started.push(worker);
    // One id per worker (1 + 2) and one per pool (2), all beating now.
    await waitUntil(async () => (await heartbeats()).filter((row) => !before.has(row.worker_id)).length === 5, "the worker's heartbeats");
    const own = (await heartbeats()).filter((row) => !before.has(row.worker_id));
    for (const row of own) expect(Date.now() - row.beat_at.getTime()).toBeLessThan(60_000);

    const deadJob = await jobLockedBy("worker-that-died");
    const liveJob = await jobLockedBy(own[0]!.worker_id);
    await db().$executeRaw`SELECT graphile_worker.add_job('workers__release_dead_locks', '{}'::json)`;
    // Unlocked, then run (and so removed) by the live worker.
    await waitUntil(async () => (await jobRow(deadJob)) === null, "the dead process's job to be freed and run");
    expect(await jobRow(liveJob)).toMatchObject({ locked_by: own[0]!.worker_id });

    await db().$executeRaw`SELECT graphile_worker.force_unlock_workers(${[own[0]!.worker_id]}::text[])`;
    await waitUntil(async () => (await jobRow(liveJob)) === null, "the live worker's job once released");
    await worker.stop();
    started.pop();
    const left = new Set((await heartbeats()).map((row) => row.worker_id));
    for (const row of own) expect(left.has(row.worker_id)).toBe(false);
  });
});
