import type { TDatabase } from "@/server/db/client";

// PostgreSQL scales its row estimates with a table's size, but not the share
// of each tenant: a tenant that had no members at the last ANALYZE is "about
// one row" to the planner however many an import has given it since. Every
// index on tenant_id then looks as good as the unique ones, and a probe by
// username or email may scan the whole tenant instead — per row, per batch.
// Autovacuum catches up within minutes; an import cannot wait that long.

const analyzeUsers = (db: TDatabase) => db.$executeRaw`ANALYZE users (tenant_id, username, email, mobile, deleted_at)`;

/** Before a dry run's checks: a table never analyzed (a new installation) has no statistics at all. */
export async function analyzeUsersIfNeverAnalyzed(db: TDatabase): Promise<void> {
  const [table] = await db.$queryRaw<{ reltuples: number }[]>`SELECT reltuples FROM pg_class WHERE oid = 'users'::regclass`;
  if (table && table.reltuples < 0) await analyzeUsers(db);
}

/**
 * After a batch: when an import's created members pass 1,000, 10,000 or
 * 100,000, the tenant's share has grown tenfold since the planner last
 * looked. Only the lookup columns are analyzed (the search-text expression
 * index is the costly part of a full ANALYZE).
 */
export async function analyzeUsersAfterGrowth(db: TDatabase, createdBefore: number, createdAfter: number): Promise<boolean> {
  const magnitude = (count: number) => (count < 1000 ? 0 : Math.floor(Math.log10(count)));
  if (magnitude(createdAfter) <= magnitude(createdBefore)) return false;
  await analyzeUsers(db);
  return true;
}
