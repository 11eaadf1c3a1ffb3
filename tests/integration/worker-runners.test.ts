import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { serverEnv } from "@/server/env";
import { DELIVERY_TASKS, startWorker, type TWorker } from "@/workers/start-worker";
import { taskList } from "@/workers/task-list";
import { waitUntil } from "../support/wait-until";

// The worker's two runners: deliveries to other systems keep flowing while
// every slot of the database runner is busy, and the delivery list names real tasks.

const started: TWorker[] = [];
afterAll(async () => {
  await Promise.all(started.map((worker) => worker.stop()));
});

async function queued(task: string): Promise<number> {
  const [row] = await db().$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM graphile_worker.jobs WHERE task_identifier = ${task}`;
  return Number(row?.count ?? 0);
}


describe("worker runners", () => {
  it("runs deliveries while the database runner's only slot is blocked", async () => {
    const worker = await startWorker({ connectionString: serverEnv().DATABASE_URL, concurrency: 1, deliveryConcurrency: 3, crontab: false, log: () => undefined });
    started.push(worker);
    // Hold the table the prune job deletes from: the database runner's one job waits on it.
    const blocker = new pg.Client({ connectionString: serverEnv().DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE rate_limit_buckets IN ACCESS EXCLUSIVE MODE");
      await db().$executeRaw`SELECT graphile_worker.add_job('rate_limits__prune_idle', '{}'::json)`;
      await waitUntil(async () => (await db().$queryRaw<unknown[]>`SELECT 1 FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = 'rate_limits__prune_idle' AND j.locked_at IS NOT NULL`).length === 1, "the prune job to start");

      // Deliveries of messages that no longer exist: each finishes at once as a no-op.
      for (let index = 0; index < 6; index += 1) await db().$executeRaw`SELECT graphile_worker.add_job('webhooks__deliver', json_build_object('deliveryId', ${String(9_000_000 + index)}::text))`;
      await waitUntil(async () => (await queued("webhooks__deliver")) === 0, "the deliveries to finish");
      expect(await queued("rate_limits__prune_idle")).toBe(1);
    } finally {
      await blocker.query("ROLLBACK");
      await blocker.end();
    }
    await waitUntil(async () => (await queued("rate_limits__prune_idle")) === 0, "the prune job to finish once unblocked");
  });

  it("names only real tasks as deliveries", () => {
    for (const task of DELIVERY_TASKS) expect(Object.keys(taskList)).toContain(task);
  });
});
