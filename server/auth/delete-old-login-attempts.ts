import type { TDatabase } from "@/server/db/client";

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
  let total = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM login_attempts WHERE id IN (
        SELECT id FROM login_attempts WHERE created_at < ${before} LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED)`;
    total += deleted;
    if (deleted < BATCH_SIZE) return total;
  }
}
