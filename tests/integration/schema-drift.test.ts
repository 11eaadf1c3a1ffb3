import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { serverEnv } from "@/server/env";
import { applyMigrations, DEFAULT_MIGRATIONS_DIR, readLocalMigrations } from "@/server/db/migrations";
import { findSchemaDrift } from "../support/schema-drift";
import { createDatabase, dropDatabase, uniqueDatabaseName } from "../support/test-cluster";

const { adminUrl } = inject("testDatabase");
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe("schema drift", () => {
  it("finds no difference between prisma/schema.prisma and the migrated database", async () => {
    expect(await findSchemaDrift(serverEnv().DATABASE_URL)).toEqual([]);
  });

  it("catches a column that the migration SQL forgot", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tenure-drift-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const [foundation] = await readLocalMigrations(dir);
    const file = path.join(dir, foundation!.name, "migration.sql");
    const sql = await readFile(file, "utf8");
    const withoutRevokedReason = sql.replace(/^\s*"revoked_reason" VARCHAR\(40\),\n/m, "");
    expect(withoutRevokedReason).not.toBe(sql);
    await writeFile(file, withoutRevokedReason);

    const name = uniqueDatabaseName("drift");
    const url = await createDatabase(adminUrl, name);
    cleanups.push(() => dropDatabase(adminUrl, name));
    await applyMigrations({ connectionString: url, migrationsDir: dir });

    expect(await findSchemaDrift(url)).toEqual(["column sessions.revoked_reason (Session.revokedReason) is missing"]);
  });

  it("catches a nullability, type or uniqueness difference", async () => {
    const name = uniqueDatabaseName("drift");
    const url = await createDatabase(adminUrl, name);
    cleanups.push(() => dropDatabase(adminUrl, name));
    await applyMigrations({ connectionString: url });
    const pg = await import("pg");
    const client = new pg.default.Client({ connectionString: url });
    await client.connect();
    await client.query(`ALTER TABLE users ALTER COLUMN full_name DROP NOT NULL`);
    await client.query(`ALTER TABLE sessions ALTER COLUMN user_agent TYPE int USING 0`);
    await client.query(`DROP INDEX tenants_slug_key`);
    await client.end();

    expect((await findSchemaDrift(url)).sort()).toEqual(
      [
        "column users.full_name is nullable, the schema says required",
        "column sessions.user_agent is int4, the schema says String",
        "column tenants.slug has no unique constraint, the schema says @unique",
      ].sort(),
    );
  });
});
