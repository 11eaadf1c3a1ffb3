import type { CHANGE_MARKS } from "@/server/directories/attribute-mapping";
import type { TDatabaseOrTransaction, TTransaction } from "@/server/db/client";
import type { Directory } from "@/server/db/generated/client";
import type { TSyncDirectory } from "@/server/directories/plan-sync-page";

// The run row as the read and apply steps hold it, and the directory as the
// planner sees it.

export type TLockedRun = {
  id: bigint;
  tenant_id: bigint;
  directory_id: bigint;
  kind: string;
  dry_run: boolean;
  status: string;
  incremental_mark: string | null;
};

/** The run, locked: a second job for the same run waits here, then sees what the first did. */
export async function lockRun(tx: TTransaction, runId: bigint): Promise<TLockedRun | null> {
  const [run] = await tx.$queryRaw<TLockedRun[]>`
    SELECT id, tenant_id, directory_id, kind, dry_run, status, incremental_mark FROM directory_sync_runs WHERE id = ${runId} FOR UPDATE`;
  return run ?? null;
}

export async function touchRun(db: TDatabaseOrTransaction, runId: bigint): Promise<void> {
  await db.$executeRaw`UPDATE directory_sync_runs SET heartbeat_at = now() WHERE id = ${runId}`;
}

export async function failRun(db: TDatabaseOrTransaction, runId: bigint, message: string): Promise<void> {
  await db.$executeRaw`
    UPDATE directory_sync_runs SET status = 'failed', failure_message = ${message.slice(0, 1000)}, finished_at = now(), heartbeat_at = now()
    WHERE id = ${runId} AND status IN ('queued', 'reading', 'applying')`;
}

export async function syncDirectoryOf(db: TDatabaseOrTransaction, row: Directory): Promise<TSyncDirectory> {
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: row.tenantId }, select: { nameOrder: true } });
  return {
    id: row.id,
    tenantId: row.tenantId,
    departmentSource: row.departmentSource === "ou_path" || row.departmentSource === "attribute" ? row.departmentSource : "none",
    linkExistingBy: row.linkExistingBy,
    deprovisionAction: row.deprovisionAction,
    reenableReturning: row.reenableReturning,
    firstSync: row.firstSyncApprovedAt === null,
    nameOrder: tenant.nameOrder,
  };
}

/** The later of two change marks: uSNChanged compares as a number, generalized times as text (same format). */
export function laterMark(a: string | null, b: string | null, kind: (typeof CHANGE_MARKS)[number]): string | null {
  if (a === null) return b;
  if (b === null) return a;
  if (kind === "uSNChanged" && /^\d+$/.test(a) && /^\d+$/.test(b)) return BigInt(a) >= BigInt(b) ? a : b;
  return a >= b ? a : b;
}

/** Counts of the staged plan, by action, written onto the run. */
export async function recountRun(db: TDatabaseOrTransaction, runId: bigint): Promise<Record<string, number>> {
  const rows = await db.$queryRaw<{ action: string; count: number }[]>`
    SELECT action, count(*)::int AS count FROM directory_sync_entries WHERE run_id = ${runId} GROUP BY action`;
  const counts = Object.fromEntries(rows.map((row) => [row.action, row.count]));
  const of = (action: string) => counts[action] ?? 0;
  await db.$executeRaw`
    UPDATE directory_sync_runs SET creates = ${of("create")}, updates = ${of("update")}, moves = ${of("move")}, links = ${of("link")},
           deprovisions = ${of("deprovision")}, reenables = ${of("reenable")}, unchanged = ${of("unchanged")}, errors = ${of("error")}
    WHERE id = ${runId}`;
  return counts;
}
