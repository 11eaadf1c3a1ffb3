import { spawn } from "node:child_process";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { serverEnv } from "@/server/env";
import { checkSession } from "@/server/auth/sessions";
import { transitionMembers } from "@/server/lifecycle/transition-members";
import { lifecycleScene, runDueJobs } from "../support/lifecycle";

const jobOf = async (task: string) =>
  (await db().$queryRaw<{ id: bigint; locked_by: string | null; attempts: number }[]>`
    SELECT id, locked_by, attempts FROM graphile_worker.jobs WHERE task_identifier = ${task}`)[0];

describe("a worker killed in the middle of a job", () => {
  it("loses nothing: the job is retried and completes exactly once", async () => {
    const scene = await lifecycleScene();
    const { member, sessionId } = await scene.newMember();
    // Disable inside a transaction of our own, so the receipt is left for the job to prove (as after a crash right after commit).
    const result = await db().$transaction((tx) => transitionMembers(tx, scene.actor, "disable", [member.id], { reason: "crash test" }));
    const receiptId = result.changed[0]!.receiptId!;

    // Hold the receipt row: the job's first step (ending sessions) commits, its second (the proof) waits here.
    const blocker = new pg.Client({ connectionString: serverEnv().DATABASE_URL });
    await blocker.connect();
    await blocker.query("BEGIN");
    await blocker.query("SELECT id FROM lifecycle_receipts WHERE id = $1 FOR UPDATE", [receiptId.toString()]);

    const worker = spawn(process.execPath, ["--import", "tsx", "workers/run.ts"], {
      env: { ...process.env, DATABASE_URL: serverEnv().DATABASE_URL, NEXTAUTH_SECRET: serverEnv().NEXTAUTH_SECRET, NEXTAUTH_URL: "http://localhost:3000" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    worker.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    try {
      // The job is taken and stuck in its second step.
      await expect.poll(async () => (await jobOf("member__revoke_sessions"))?.locked_by ?? null, { timeout: 30_000, interval: 100 }).not.toBeNull();
      await expect
        .poll(async () => (await blocker.query<{ waiting: number }>("SELECT count(*)::int AS waiting FROM pg_locks WHERE NOT granted")).rows[0]?.waiting, { timeout: 10_000, interval: 50 })
        .toBeGreaterThan(0);
      const exited = new Promise((resolve) => worker.on("exit", resolve));
      worker.kill("SIGKILL");
      await exited;
      // Its database connection, blocked on our lock, would not notice the death until it had run its
      // statement: end it too, as a crashed machine would.
      await blocker.query("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()");
    } finally {
      await blocker.query("ROLLBACK");
      await blocker.end();
    }

    // The first step's work survived; the proof did not happen.
    expect((await checkSession(db(), sessionId)).live).toBe(false);
    expect((await db().lifecycleReceipt.findUniqueOrThrow({ where: { id: receiptId } })).zeroAccessAt).toBeNull();
    const stuck = await jobOf("member__revoke_sessions");
    expect(stuck?.locked_by).not.toBeNull();

    // What graphile-worker does for a crashed worker (after its lock timeout), done now.
    await db().$executeRaw`SELECT graphile_worker.force_unlock_workers(ARRAY[${stuck!.locked_by}]::text[])`;
    await runDueJobs();

    expect(await jobOf("member__revoke_sessions")).toBeUndefined();
    const receipt = await db().lifecycleReceipt.findUniqueOrThrow({ where: { id: receiptId } });
    expect(receipt.zeroAccessAt).toBeInstanceOf(Date);
    expect(receipt.sessionsEnded).toBe(1);
    expect(await db().lifecycleReceipt.count({ where: { userId: member.id } })).toBe(1);
    expect(output).not.toContain("Worker stopped.");
  }, 60_000);
});
