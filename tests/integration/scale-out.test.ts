import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createSession } from "@/server/auth/sessions";
import { db, disconnectDatabase } from "@/server/db/client";
import { readLocalMigrations } from "@/server/db/migrations";
import { exportToEnvironment, serverEnv } from "@/server/env";
import { createSignedInMember, createTenant } from "../support/factories";
import { sessionCookieFor } from "../support/session-cookie";
import { createDatabase, dropDatabase, queryRows, uniqueDatabaseName } from "../support/test-cluster";

// Two web processes and two workers, started together as real child processes
// on one new, empty database. A web process here is Tenure's HTTP server
// (server/http/) with the app's tRPC route handler and the migration step
// instrumentation.ts runs (tests/support/web-process.ts): every request
// builds its own context from the cookie, as under Next, without needing a
// `next build` in the integration run. The workers are `npm run worker`.

type TProcess = { name: string; child: ChildProcess; output: string; port?: number };

const { adminUrl } = inject("testDatabase");
const databaseName = uniqueDatabaseName("scale");
const processes: TProcess[] = [];

function start(name: string, script: string): TProcess {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, DATABASE_URL: serverEnv().DATABASE_URL, NEXTAUTH_SECRET: serverEnv().NEXTAUTH_SECRET, NEXTAUTH_URL: "http://localhost:3000", WORKER_CONCURRENCY: "3" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const entry: TProcess = { name, child, output: "" };
  const collect = (chunk: Buffer) => {
    entry.output += chunk.toString();
    entry.port ??= Number(/^listening (\d+)$/m.exec(entry.output)?.[1]) || undefined;
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  processes.push(entry);
  return entry;
}

const webs = () => processes.filter((entry) => entry.name.startsWith("web"));
const workers = () => processes.filter((entry) => entry.name.startsWith("worker"));

/** Every "Completed task <id> (<task>, …)" line of both workers: [job id, task, worker]. */
function completions(task?: string): { id: string; task: string; worker: string }[] {
  return workers().flatMap((entry) =>
    [...entry.output.matchAll(/Completed task (\d+) \((\w+),/g)].map((match) => ({ id: match[1]!, task: match[2]!, worker: entry.name })).filter((line) => !task || line.task === task),
  );
}

async function trpc(web: TProcess, path: string, cookie: string, body?: unknown): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${web.port}/api/trpc/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { cookie, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.status;
}

beforeAll(async () => {
  // An empty database: the four processes migrate it as they start, all at once.
  exportToEnvironment({ DATABASE_URL: await createDatabase(adminUrl, databaseName) });
  await disconnectDatabase();
  start("web-a", "tests/support/web-process.ts");
  start("web-b", "tests/support/web-process.ts");
  start("worker-a", "workers/run.ts");
  start("worker-b", "workers/run.ts");
  const ready = () => webs().every((entry) => entry.port) && workers().every((entry) => entry.output.includes("Worker started."));
  const exited = () => processes.find((entry) => entry.child.exitCode !== null);
  const deadline = Date.now() + 90_000;
  while (!ready()) {
    const dead = exited();
    if (dead) throw new Error(`${dead.name} exited before it was ready:\n${dead.output}`);
    if (Date.now() > deadline) throw new Error(`not ready in time:\n${processes.map((entry) => `${entry.name}: ${entry.output}`).join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}, 120_000);

afterAll(async () => {
  const running = processes.filter((entry) => entry.child.exitCode === null);
  await Promise.all(running.map((entry) => new Promise((resolve) => entry.child.once("exit", resolve).kill("SIGTERM"))));
  await disconnectDatabase();
  await dropDatabase(adminUrl, databaseName);
}, 60_000);

describe("two web processes and two workers on one database", () => {
  it("apply each migration once when all four start together", async () => {
    const local = await readLocalMigrations();
    const ledger = await queryRows<{ migration_name: string; rows: number; finished: number }>(
      serverEnv().DATABASE_URL,
      `SELECT migration_name, count(*)::int AS rows, count(finished_at)::int AS finished FROM "_prisma_migrations" GROUP BY migration_name ORDER BY migration_name`,
    );
    expect(ledger).toEqual(local.map((migration) => ({ migration_name: migration.name, rows: 1, finished: 1 })));
  });

  it("a session revoked through one web process is refused by the other on its next request", async () => {
    const tenant = await createTenant();
    const { member, sessionId: kept } = await createSignedInMember(tenant.id);
    const revoked = await createSession(db(), { tenantId: tenant.id, userId: member.id, ipAddress: "127.0.0.1", userAgent: "vitest" });
    const [webA, webB] = webs() as [TProcess, TProcess];
    const revokedCookie = await sessionCookieFor(revoked);
    expect(await trpc(webB, "me.get", revokedCookie)).toBe(200);
    expect(await trpc(webA, "selfService.revokeOtherSessions", await sessionCookieFor(kept), {})).toBe(200);
    expect(await trpc(webB, "me.get", revokedCookie)).toBe(401);
    expect(await trpc(webA, "me.get", revokedCookie)).toBe(401);
  });

  it("run every job once", async () => {
    const jobs = await db().$queryRaw<{ id: bigint }[]>`
      SELECT (graphile_worker.add_job('session__delete_expired', '{}'::json)).id FROM generate_series(1, 200)`;
    const ids = jobs.map((job) => job.id.toString());
    const done = () => completions("session__delete_expired").filter((line) => ids.includes(line.id));
    await expect.poll(() => new Set(done().map((line) => line.id)).size, { timeout: 30_000, interval: 100 }).toBe(ids.length);
    // Let a duplicate, were there one, finish too.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(done().length).toBe(ids.length);
    expect((await db().$queryRaw<{ left: number }[]>`SELECT count(*)::int AS left FROM graphile_worker.jobs WHERE task_identifier = 'session__delete_expired'`)[0]!.left).toBe(0);
  }, 60_000);

  it("fire a crontab task once at its minute, not once per worker", async () => {
    // lifecycle__catch_up runs every minute; both workers schedule from the same crontab.
    await expect.poll(() => completions("lifecycle__catch_up").length, { timeout: 75_000, interval: 200 }).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(completions("lifecycle__catch_up")).toHaveLength(1);
    expect(completions("members__import_resume_stalled")).toHaveLength(1);
  }, 90_000);
});
