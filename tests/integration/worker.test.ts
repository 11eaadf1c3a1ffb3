import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { serverEnv } from "@/server/env";
import { SESSION_IDLE_TIMEOUT_MS } from "@/server/auth/session-policy";
import { enqueue } from "@/server/queue/enqueue";
import { createSignedInMember, createTenant } from "../support/factories";
// The shared runner ends its own pool before returning, so every job completion is written when it returns.
import { runDueJobs } from "../support/lifecycle";

const HOUR = 60 * 60 * 1000;

async function pendingJobs(task: string): Promise<number> {
  const [row] = await db().$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM graphile_worker.jobs WHERE task_identifier = ${task}`;
  return Number(row?.count ?? 0);
}



async function sessionsInEveryState(tenantId: bigint) {
  const now = Date.now();
  const live = await createSignedInMember(tenantId);
  const expired = await createSignedInMember(tenantId);
  const idle = await createSignedInMember(tenantId);
  const revokedButUnexpired = await createSignedInMember(tenantId);
  await db().session.update({ where: { id: expired.sessionId }, data: { expiresAt: new Date(now - 1000), lastSeenAt: new Date(now - 2000) } });
  await db().session.update({ where: { id: idle.sessionId }, data: { lastSeenAt: new Date(now - SESSION_IDLE_TIMEOUT_MS - 1000) } });
  await db().session.update({ where: { id: revokedButUnexpired.sessionId }, data: { revokedAt: new Date(now - HOUR), revokedReason: "revoked" } });
  return { live: live.sessionId, expired: expired.sessionId, idle: idle.sessionId, revoked: revokedButUnexpired.sessionId };
}

const remainingSessionIds = async (ids: string[]) =>
  (await db().session.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((row) => row.id).sort();

describe("background jobs", () => {
  it("the expired-session sweep, run by graphile-worker, deletes expired and idle sessions only", async () => {
    const tenant = await createTenant();
    const sessions = await sessionsInEveryState(tenant.id);
    await db().$transaction((tx) => enqueue(tx, "session__delete_expired", {}));
    expect(await pendingJobs("session__delete_expired")).toBe(1);

    await runDueJobs();

    expect(await pendingJobs("session__delete_expired")).toBe(0);
    expect(await remainingSessionIds(Object.values(sessions))).toEqual([sessions.live, sessions.revoked].sort());
  });

  it("marks members offline whose sessions all ended, and only them", async () => {
    const tenant = await createTenant();
    const sessions = await sessionsInEveryState(tenant.id);
    const ownerOf = async (sessionId: string) => (await db().session.findUniqueOrThrow({ where: { id: sessionId } })).userId;
    const [liveMember, idleMember] = [await ownerOf(sessions.live), await ownerOf(sessions.idle)];
    await db().user.updateMany({ where: { id: { in: [liveMember, idleMember] } }, data: { online: true } });
    await db().$transaction((tx) => enqueue(tx, "session__delete_expired", {}));
    await runDueJobs();
    const rows = await db().user.findMany({ where: { id: { in: [liveMember, idleMember] } }, select: { id: true, online: true, offlineAt: true } });
    expect(rows.find((row) => row.id === liveMember)).toMatchObject({ online: true, offlineAt: null });
    expect(rows.find((row) => row.id === idleMember)?.online).toBe(false);
    expect(rows.find((row) => row.id === idleMember)?.offlineAt).toBeInstanceOf(Date);
  });

  it("is safe to run again: a second sweep changes nothing", async () => {
    const tenant = await createTenant();
    const { sessionId } = await createSignedInMember(tenant.id);
    for (let run = 0; run < 2; run += 1) {
      await db().$transaction((tx) => enqueue(tx, "session__delete_expired", {}));
      await runDueJobs();
    }
    expect(await remainingSessionIds([sessionId])).toEqual([sessionId]);
  });

  it("never runs a job enqueued in a transaction that rolled back", async () => {
    const tenant = await createTenant();
    const sessions = await sessionsInEveryState(tenant.id);
    await expect(
      db().$transaction(async (tx) => {
        await enqueue(tx, "session__delete_expired", {});
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await pendingJobs("session__delete_expired")).toBe(0);

    await runDueJobs();
    expect(await remainingSessionIds(Object.values(sessions))).toHaveLength(4);
  });

  it("refuses to enqueue a payload its task does not accept", async () => {
    await expect(
      db().$transaction((tx) => enqueue(tx, "session__delete_expired", { unexpected: true } as never)),
    ).rejects.toThrow();
    expect(await pendingJobs("session__delete_expired")).toBe(0);
  });

  it("respects run_at and job keys: a keyed job is replaced, not duplicated", async () => {
    const later = new Date(Date.now() + HOUR);
    await db().$transaction((tx) => enqueue(tx, "session__delete_expired", {}, { jobKey: "sweep-once", runAt: later }));
    await db().$transaction((tx) => enqueue(tx, "session__delete_expired", {}, { jobKey: "sweep-once", runAt: later }));
    const rows = await db().$queryRaw<{ run_at: Date }[]>`SELECT run_at FROM graphile_worker.jobs WHERE key = 'sweep-once'`;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.run_at.getTime()).toBe(later.getTime());
    await runDueJobs();
    expect(await pendingJobs("session__delete_expired")).toBe(1);
  });

  it("the worker process shuts down gracefully on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "workers/run.ts"], {
      env: { ...process.env, DATABASE_URL: serverEnv().DATABASE_URL, NEXTAUTH_SECRET: serverEnv().NEXTAUTH_SECRET, NEXTAUTH_URL: "http://localhost:3000" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await expect.poll(() => output, { timeout: 20_000, interval: 100 }).toContain("Worker started.");

    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("Worker received SIGTERM");
    expect(output).toContain("Worker stopped.");
    const [locked] = await db().$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM graphile_worker.jobs WHERE locked_at IS NOT NULL`;
    expect(Number(locked?.count)).toBe(0);
  });
});
