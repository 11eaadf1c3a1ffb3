import { afterAll, describe, expect, it } from "vitest";
import { databasePoolConfig, db, disconnectDatabase } from "@/server/db/client";
import { exportToEnvironment, serverEnv } from "@/server/env";
import { Prisma } from "@/server/db/generated/client";
import { queryPrepared } from "@/server/db/prepared-statements";

// DATABASE_POOL_SIZE caps the connections one process keeps: the worker's 25
// deliveries at once queue for 10 connections unless the operator raises it.

/** Runs `parallel` queries at once; returns the most connections to this database any of them saw. */
async function mostConnectionsSeen(parallel: number): Promise<number> {
  const seen = await Promise.all(
    Array.from({ length: parallel }, () =>
      db().$queryRaw<{ connections: number }[]>`
        SELECT (SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend') AS connections
        FROM pg_sleep(0.2)`,
    ),
  );
  return Math.max(...seen.map(([row]) => row!.connections));
}

async function withPoolSize(value: string | undefined) {
  await disconnectDatabase();
  if (value === undefined) delete process.env.DATABASE_POOL_SIZE;
  exportToEnvironment(value === undefined ? {} : { DATABASE_POOL_SIZE: value });
}

afterAll(async () => {
  await withPoolSize(undefined);
});

describe("DATABASE_POOL_SIZE", () => {
  it("defaults to 10 connections (node-postgres' own default)", async () => {
    await withPoolSize(undefined);
    expect(serverEnv().DATABASE_POOL_SIZE).toBe(10);
    expect(databasePoolConfig().max).toBe(10);
  });

  it("caps the connections the process opens, and a larger size lets more queries run at once", async () => {
    await withPoolSize("2");
    expect(databasePoolConfig().max).toBe(2);
    expect(await mostConnectionsSeen(6)).toBeLessThanOrEqual(2);

    await withPoolSize("6");
    expect(await mostConnectionsSeen(6)).toBeGreaterThan(2);
  });

  it("refuses a size that is not a whole number from 1 to 200", async () => {
    for (const bad of ["0", "-3", "2.5", "many", "201"]) {
      await withPoolSize(bad);
      expect(() => serverEnv(), bad).toThrow(/DATABASE_POOL_SIZE/);
    }
    await withPoolSize("200");
    expect(serverEnv().DATABASE_POOL_SIZE).toBe(200);
  });
});

describe("the process's database pool", () => {
  it("survives the server closing its idle connections (a restart, an administrator): the next query opens a new one", async () => {
    await withPoolSize(undefined);
    // Through the pool itself, before Prisma's first query (Prisma listens to the pool only once it has connected).
    const [{ pid }] = (await queryPrepared<{ pid: number }>(Prisma.sql`SELECT pg_backend_pid() AS pid`)) as [{ pid: number }];
    const idleErrors: unknown[] = [];
    const onError = (error: unknown) => idleErrors.push(error);
    process.on("uncaughtException", onError);
    try {
      // Another connection ends this process's idle one, as PostgreSQL's shutdown does.
      const { Client } = (await import("pg")).default;
      const admin = new Client({ connectionString: serverEnv().DATABASE_URL });
      await admin.connect();
      await admin.query("SELECT pg_terminate_backend($1)", [pid]);
      await admin.end();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const [{ alive }] = (await db().$queryRaw<{ alive: number }[]>`SELECT 1 AS alive`) as [{ alive: number }];
      expect(alive).toBe(1);
      expect(idleErrors).toEqual([]);
    } finally {
      process.off("uncaughtException", onError);
    }
  });
});
