import type { TDatabase } from "@/server/db/client";

// A message names a member (and their email): it is kept as long as its
// delivery log is useful, then goes with its deliveries and attempts (cascade).
// Batches keep each statement short on a busy table.

export const WEBHOOK_MESSAGE_RETENTION_DAYS = 30;
const BATCH = 5_000;

export async function purgeWebhookMessages(db: TDatabase, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - WEBHOOK_MESSAGE_RETENTION_DAYS * 24 * 3600 * 1000);
  let purged = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM webhook_messages WHERE id IN (SELECT id FROM webhook_messages WHERE created_at < ${before} ORDER BY id LIMIT ${BATCH})`;
    purged += deleted;
    if (deleted < BATCH) return purged;
  }
}
