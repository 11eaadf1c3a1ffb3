import { createHash } from "node:crypto";
import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, inject, it } from "vitest";
import { applyMigrations, DEFAULT_MIGRATIONS_DIR, MigrationError, readLocalMigrations } from "@/server/db/migrations";
import { createDatabase, dropDatabase, queryRows, uniqueDatabaseName } from "../support/test-cluster";

const { adminUrl } = inject("testDatabase");
const created: string[] = [];
const tempDirs: string[] = [];

async function emptyDatabase(): Promise<string> {
  const name = uniqueDatabaseName("migrate");
  created.push(name);
  return createDatabase(adminUrl, name);
}

async function tempMigrations(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tenure-migrations-"));
  tempDirs.push(dir);
  for (const [name, sql] of Object.entries(files)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

type TLedger = { id: string; migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; logs: string | null };
const ledger = (url: string) =>
  queryRows<TLedger>(url, `SELECT id, migration_name, checksum, finished_at, applied_steps_count, logs FROM "_prisma_migrations" ORDER BY started_at, migration_name`);

afterAll(async () => {
  for (const name of created) await dropDatabase(adminUrl, name);
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

describe("the migration runner", () => {
  let url: string;
  beforeEach(async () => {
    url = await emptyDatabase();
  });

  it("applies the project's migrations and records them exactly as Prisma does", async () => {
    const result = await applyMigrations({ connectionString: url });
    const local = await readLocalMigrations();
    expect(result.applied).toEqual(local.map((migration) => migration.name));

    const rows = await ledger(url);
    expect(rows.map((row) => row.migration_name)).toEqual(local.map((migration) => migration.name));
    for (const row of rows) {
      const bytes = await readFile(path.join(DEFAULT_MIGRATIONS_DIR, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
    const columns = await queryRows<{ column_name: string; data_type: string }>(
      url,
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns.map((column) => column.column_name)).toEqual([
      "id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count",
    ]);
  });

  it("applies migrations in name order and is idempotent", async () => {
    const dir = await tempMigrations({
      "20260102000000_second": `ALTER TABLE things ADD COLUMN colour text;`,
      "20260101000000_first": `CREATE TABLE things (id int primary key);`,
    });
    const first = await applyMigrations({ connectionString: url, migrationsDir: dir });
    expect(first.applied).toEqual(["20260101000000_first", "20260102000000_second"]);
    const second = await applyMigrations({ connectionString: url, migrationsDir: dir });
    expect(second.applied).toEqual([]);
    expect((await ledger(url)).map((row) => row.migration_name)).toEqual(["20260101000000_first", "20260102000000_second"]);
  });

  it("applies each migration once when two runners start together", async () => {
    const results = await Promise.all([applyMigrations({ connectionString: url }), applyMigrations({ connectionString: url })]);
    const local = await readLocalMigrations();
    expect(results.flatMap((result) => result.applied).sort()).toEqual(local.map((migration) => migration.name).sort());
    expect(await ledger(url)).toHaveLength(local.length);
  });

  it("refuses to start when an applied migration's file has changed", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tenure-migrations-"));
    tempDirs.push(dir);
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    await applyMigrations({ connectionString: url, migrationsDir: dir });
    const [firstMigration] = await readLocalMigrations(dir);
    await writeFile(path.join(dir, firstMigration!.name, "migration.sql"), `${firstMigration!.sql}\n-- edited afterwards\n`);

    await expect(applyMigrations({ connectionString: url, migrationsDir: dir })).rejects.toThrow(MigrationError);
    await expect(applyMigrations({ connectionString: url, migrationsDir: dir })).rejects.toThrow(/was changed after it was applied/);
  });

  it("rolls a failing migration back whole, records the failure and refuses to continue until resolved", async () => {
    const dir = await tempMigrations({
      "20260101000000_ok": `CREATE TABLE kept (id int);`,
      "20260102000000_broken": `CREATE TABLE half_done (id int);\nSELECT no_such_function();`,
    });
    await expect(applyMigrations({ connectionString: url, migrationsDir: dir })).rejects.toThrow(/20260102000000_broken failed/);
    const tables = await queryRows<{ table_name: string }>(url, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
    expect(tables.map((table) => table.table_name)).toEqual(["_prisma_migrations", "kept"]);
    const broken = (await ledger(url)).find((row) => row.migration_name === "20260102000000_broken");
    expect(broken?.finished_at).toBeNull();
    expect(broken?.logs).toMatch(/no_such_function/);

    await expect(applyMigrations({ connectionString: url, migrationsDir: dir })).rejects.toThrow(/failed earlier/);
  });
});
