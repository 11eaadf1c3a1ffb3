import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/server/db/embedded-postgres";
import { queryRows } from "../support/test-cluster";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("the embedded PostgreSQL", () => {
  it("keeps its data between starts, on a new free port each time, and stops cleanly", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "tenure-embedded-"));
    dirs.push(dataDir);

    const first = await startEmbeddedPostgres({ dataDir, ephemeral: true });
    await queryRows(first.connectionString, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')");
    expect(new URL(first.connectionString).hostname).toBe("127.0.0.1");
    await first.stop();
    expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);

    const second = await startEmbeddedPostgres({ dataDir, ephemeral: true });
    try {
      expect(await queryRows<{ note: string }>(second.connectionString, "SELECT note FROM kept")).toEqual([{ note: "still here" }]);
    } finally {
      await second.stop();
    }
  });

  it("recovers from a stale postmaster.pid left by a crash, and refuses to share a running cluster", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "tenure-embedded-"));
    dirs.push(dataDir);
    const first = await startEmbeddedPostgres({ dataDir, ephemeral: true });
    await first.stop();

    // A pid that cannot be alive: what a killed machine leaves behind.
    await writeFile(path.join(dataDir, "postgres", "postmaster.pid"), "999999999\n");
    const logs: string[] = [];
    const recovered = await startEmbeddedPostgres({ dataDir, ephemeral: true, log: (line) => logs.push(line) });
    try {
      expect(logs.join("\n")).toMatch(/stale postmaster\.pid/);
      expect(await queryRows<{ one: number }>(recovered.connectionString, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
      await expect(startEmbeddedPostgres({ dataDir, ephemeral: true })).rejects.toThrow(/is in use by process \d+/);
    } finally {
      await recovered.stop();
    }
  });
});

describe("stopping the embedded PostgreSQL", () => {
  it("returns at once when Postgres already exited (a terminal's Ctrl-C reaches it directly)", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "tenure-embedded-"));
    dirs.push(dataDir);
    const cluster = await startEmbeddedPostgres({ dataDir, ephemeral: true });
    const pid = Number((await readFile(path.join(dataDir, "postgres", "postmaster.pid"), "utf8")).split("\n")[0]);
    process.kill(pid, "SIGINT");
    await expect.poll(() => existsSync(path.join(dataDir, "postgres", "postmaster.pid")), { timeout: 10_000 }).toBe(false);
    await expect(cluster.stop()).resolves.toBeUndefined();
  });
});

describe.runIf(process.getuid?.() === 0)("as root", () => {
  it("starts a cluster whose data folder sits inside a private (0700) folder", async () => {
    const privateDir = await mkdtemp(path.join(os.tmpdir(), "tenure-private-"));
    dirs.push(privateDir);
    await chmod(privateDir, 0o700);
    const logs: string[] = [];
    const cluster = await startEmbeddedPostgres({ dataDir: path.join(privateDir, "data"), ephemeral: true, log: (line) => logs.push(line) });
    try {
      expect(await queryRows<{ one: number }>(cluster.connectionString, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
      expect(logs.join("\n")).toContain(`Allowed the postgres user to pass through ${privateDir}`);
    } finally {
      await cluster.stop();
    }
  });
});
