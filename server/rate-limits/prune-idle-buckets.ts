import type { TDatabase } from "@/server/db/client";
import { deleteInBatches } from "@/server/db/delete-in-batches";

// A bucket left alone long enough to refill completely behaves exactly like no
// bucket (takeToken starts a missing one full), so it can go: the table then
// holds the keys in use, not every key ever seen (one per API token, directory,
// organisation and SCIM peer over the installation's life).

/** Every limit refills completely within this (the longest window in use is a minute; a test holds every limit to it). */
export const BUCKET_REFILL_CEILING_SECONDS = 3600;
const CHUNK = 10_000;

/** Deletes the buckets untouched for longer than the ceiling, a chunk per statement (short locks). Returns how many went. */
export async function pruneIdleBuckets(db: TDatabase, now = new Date()): Promise<number> {
  const idleSince = new Date(now.getTime() - BUCKET_REFILL_CEILING_SECONDS * 1000);
  return deleteInBatches(
    CHUNK,
    () => db.$executeRaw`
      DELETE FROM rate_limit_buckets WHERE key IN (
        SELECT key FROM rate_limit_buckets WHERE refilled_at < ${idleSince} LIMIT ${CHUNK} FOR UPDATE SKIP LOCKED)`,
  );
}
