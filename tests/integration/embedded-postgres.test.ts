import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/server/db/embedded-postgres";
import { readOrCreateSecret } from "@/server/runtime/prepare-runtime";
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

const modeOf = async (file: string) => (await stat(file)).mode & 0o7777;

describe("least privilege on disk", () => {
  it("keeps the data folder, its log, the database password and the session secret to their owner; errors log no personal data", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "tenure-files-"));
    dirs.push(dataDir);
    // A log an earlier version left world-readable is tightened too.
    await writeFile(path.join(dataDir, "postgres.log"), "", { mode: 0o644 });
    await chmod(path.join(dataDir, "postgres.log"), 0o644);
    const cluster = await startEmbeddedPostgres({ dataDir, ephemeral: true });
    try {
      const email = "leaky.person@example.test";
      await queryRows(cluster.connectionString, "CREATE TABLE people (email text UNIQUE)");
      await queryRows(cluster.connectionString, `INSERT INTO people VALUES ('${email}')`);
      await expect(queryRows(cluster.connectionString, `INSERT INTO people VALUES ('${email}')`)).rejects.toThrow(/duplicate key/);
      await readOrCreateSecret(dataDir);

      expect(await modeOf(path.join(dataDir, "postgres.log"))).toBe(0o600);
      expect(await modeOf(path.join(dataDir, "postgres-password"))).toBe(0o600);
      expect(await modeOf(path.join(dataDir, "nextauth-secret"))).toBe(0o600);
      expect(await modeOf(path.join(dataDir, "postgres"))).toBe(0o700);
      const folder = await stat(dataDir);
      // Nobody but the owner (and, as root, the postgres user's group, to pass through: 0710) gets in.
      expect(folder.mode & 0o007).toBe(0);
      expect(folder.mode & 0o060).toBe(0);
      if (process.getuid?.() === 0) {
        const postgresUid = Number.parseInt(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }), 10);
        expect((await stat(path.join(dataDir, "postgres"))).uid).toBe(postgresUid);
      }
      const log = await readFile(path.join(dataDir, "postgres.log"), "utf8");
      expect(log).toContain("duplicate key value violates unique constraint");
      expect(log).not.toContain(email);
    } finally {
      await cluster.stop();
    }
  });
});

describe.runIf(process.getuid?.() === 0)("as root", () => {
  it("starts a cluster inside a private (0700) folder without opening any folder to everyone", async () => {
    const privateDir = await mkdtemp(path.join(os.tmpdir(), "tenure-private-"));
    dirs.push(privateDir);
    await chmod(privateDir, 0o700);
    const logs: string[] = [];
    const cluster = await startEmbeddedPostgres({ dataDir: path.join(privateDir, "project", ".data"), ephemeral: true, log: (line) => logs.push(line) });
    try {
      expect(await queryRows<{ one: number }>(cluster.connectionString, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
      expect(logs.join("\n")).toContain(`Let the postgres user (alone) pass through ${privateDir}`);
      // Other users still cannot enter: search permission went to the postgres group only.
      expect(await modeOf(privateDir)).toBe(0o710);
      expect(await modeOf(path.join(privateDir, "project")) & 0o007).toBe(0);
    } finally {
      await cluster.stop();
    }
  });
});
