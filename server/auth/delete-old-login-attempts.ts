import type { TDatabase } from "@/server/db/client";
import { deleteInBatches } from "@/server/db/delete-in-batches";

/** How long the login history is kept: over a year, so a yearly review still sees last year's sign-ins. */
export const LOGIN_HISTORY_RETENTION_DAYS = 400;
const BATCH_SIZE = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes sign-in attempts older than the retention period, in batches so a
 * large backlog never holds one long lock. Idempotent: a retry deletes what is
 * left. The BRIN index on created_at finds the old rows.
 */
export async function deleteOldLoginAttempts(db: TDatabase, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - LOGIN_HISTORY_RETENTION_DAYS * DAY_MS);
  return deleteInBatches(
    BATCH_SIZE,
    () => db.$executeRaw`
      DELETE FROM login_attempts WHERE id IN (
        SELECT id FROM login_attempts WHERE created_at < ${before} LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED)`,
  );
}
