import { runMigrations as runWorkerMigrations } from "graphile-worker";
import { applyMigrations, type TMigrationResult } from "@/server/db/migrations";

/**
 * Brings a database up to date: our schema, then graphile-worker's own schema,
 * so that jobs can be enqueued inside app transactions before any worker ran.
 */
export async function prepareDatabase(connectionString: string, log: (line: string) => void = () => undefined): Promise<TMigrationResult> {
  const result = await applyMigrations({ connectionString, log });
  await runWorkerMigrations({ connectionString, logger: undefined });
  return result;
}
