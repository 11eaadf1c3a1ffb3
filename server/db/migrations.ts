import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

// Applies prisma/migrations/<name>/migration.sql the way `prisma migrate deploy`
// does, because Prisma's schema engine cannot be downloaded here. The ledger is
// Prisma's own `_prisma_migrations`, so a connected machine can run
// `prisma migrate status/deploy` on the same database unchanged.

// Prisma Migrate's own advisory lock key: our runner and Prisma exclude each other.
const MIGRATION_LOCK_KEY = 72707369;

export const DEFAULT_MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

export class MigrationError extends Error {
  override name = "MigrationError";
}

export type TLocalMigration = { name: string; checksum: string; sql: string };
export type TMigrationResult = { applied: string[]; alreadyApplied: string[] };

type TLedgerRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
};

export async function readLocalMigrations(migrationsDir = DEFAULT_MIGRATIONS_DIR): Promise<TLocalMigration[]> {
  const entries = await readdir(/*turbopackIgnore: true*/ migrationsDir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(/*turbopackIgnore: true*/ path.join(migrationsDir, name, "migration.sql"));
      return { name, checksum: createHash("sha256").update(bytes).digest("hex"), sql: bytes.toString("utf8") };
    }),
  );
}

const CREATE_LEDGER = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

function checkLedger(local: TLocalMigration[], ledger: TLedgerRow[]): Set<string> {
  const localByName = new Map(local.map((migration) => [migration.name, migration]));
  const done = new Set<string>();
  for (const row of ledger) {
    if (row.rolled_back_at) continue;
    if (!row.finished_at) {
      throw new MigrationError(
        `Migration ${row.migration_name} failed earlier and is recorded as unfinished in _prisma_migrations. ` +
          `Fix the database by hand, then mark it rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() ` +
          `WHERE migration_name = '${row.migration_name}') or run \`prisma migrate resolve\` on a connected machine.`,
      );
    }
    const file = localByName.get(row.migration_name);
    if (file && file.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${row.migration_name} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… ` +
          `in the database, ${file.checksum.slice(0, 12)}… on disk). Restore the file and put the change in a new migration.`,
      );
    }
    done.add(row.migration_name);
  }
  return done;
}

async function applyOne(client: pg.Client, migration: TLocalMigration): Promise<void> {
  const id = randomUUID();
  await client.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
    [id, migration.checksum, migration.name],
  );
  try {
    // The file and its ledger entry commit together: a failure leaves no half-applied schema.
    await client.query("BEGIN");
    await client.query(migration.sql);
    await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    const message = error instanceof Error ? error.message : String(error);
    await client.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, message]);
    throw new MigrationError(`Migration ${migration.name} failed: ${message}`);
  }
}

/** Applies every pending migration once, even when several processes start together. */
export async function applyMigrations(options: {
  connectionString: string;
  migrationsDir?: string;
  log?: (line: string) => void;
}): Promise<TMigrationResult> {
  const log = options.log ?? (() => undefined);
  const local = await readLocalMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString: options.connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(CREATE_LEDGER);
    const { rows } = await client.query<TLedgerRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
    );
    const done = checkLedger(local, rows);
    const applied: string[] = [];
    for (const migration of local) {
      if (done.has(migration.name)) continue;
      log(`Applying migration ${migration.name}`);
      await applyOne(client, migration);
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: [...done] };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
