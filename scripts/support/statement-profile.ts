import { db } from "@/server/db/client";

// Where the database's time went, for the benches that profile it: PostgreSQL's
// pg_stat_statements, loaded when the bench's cluster starts with it
// (BENCH_PG_STATEMENTS=1, or BENCH_PG_SETTINGS="shared_preload_libraries=pg_stat_statements").

/** Whether the cluster runs with pg_stat_statements (it must be preloaded at start). */
export async function statementProfileLoaded(): Promise<boolean> {
  const [row] = await db().$queryRaw<{ loaded: boolean }[]>`SELECT current_setting('shared_preload_libraries') LIKE '%pg_stat_statements%' AS loaded`;
  return row?.loaded ?? false;
}

/** Forgets what was counted so far (creating the extension first). */
export async function resetStatementProfile(): Promise<void> {
  await db().$executeRaw`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`;
  await db().$executeRaw`SELECT pg_stat_statements_reset()`;
}

/** The statements that took most time since the last reset, then a reset. */
export async function printStatementProfile(indent: string, limit = Number(process.env.BENCH_PG_STATEMENTS_TOP ?? 12)): Promise<void> {
  await db().$executeRaw`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`;
  // Planning is counted only with pg_stat_statements.track_planning=on (BENCH_PG_SETTINGS); 0 otherwise.
  const rows = await db().$queryRaw<{ calls: bigint; total_ms: number; mean_ms: number; plan_ms: number; query: string }[]>`
    SELECT calls, total_exec_time AS total_ms, mean_exec_time AS mean_ms, total_plan_time AS plan_ms, query FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT ${limit}`;
  console.log(`${indent}statements by total time (pg_stat_statements):`);
  for (const row of rows) {
    console.log(
      `${indent}  ${row.total_ms.toFixed(0).padStart(7)} ms ${row.calls.toString().padStart(7)} calls ${row.mean_ms.toFixed(2).padStart(7)} ms  plan ${row.plan_ms.toFixed(0).padStart(5)} ms  ${row.query.replace(/\s+/g, " ").slice(0, 140)}`,
    );
  }
  await db().$executeRaw`SELECT pg_stat_statements_reset()`;
}
