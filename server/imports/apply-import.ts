import { performance } from "node:perf_hooks";
import type { TDatabase } from "@/server/db/client";
import { inSqlTransaction, type TSqlTransaction } from "@/server/db/sql-transaction";
import { Prisma } from "@/server/db/generated/client";
import { recordAuditEvents } from "@/server/audit/record-audit-event";
import { isTenantAdmin } from "@/server/shared/roles";
import { databaseErrorOf } from "@/server/errors";
import type { TImportValues } from "@/server/imports/import-row";
import { APPLY_BATCHES_IN_FLIGHT, APPLY_BATCH_ROWS, APPLY_SLICE_MS } from "@/server/imports/limits";
import { planBatch, type TBatchRow } from "@/server/imports/plan-batch";
import { analyzeUsersAfterGrowth } from "@/server/imports/refresh-statistics";
import { markRowsWithErrors, recordMemberConflicts, type TImportingMember, type TRowRange } from "@/server/imports/row-conflicts";
import { REQUIRED_FOR_NEW_MEMBER } from "@/server/imports/columns";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { lockCurrentMembers, rowRefusal, writeMembers, type TRowRefusal } from "@/server/imports/write-members";

// Applies a validated import a batch at a time. Each batch is ONE transaction:
// the members' writes, their audit events, the rows' outcomes, the counters
// and the checkpoint (applied_rows) commit together, so a worker that dies
// redoes at most the batch it had not committed, and never writes a member twice.
// Two batches are at work at once, on two connections (the database's writes of
// one batch keep a core busy): each does its writes, then waits for the batch
// before it to end, and commits only on top of that batch's checkpoint (the
// import's row, locked); a batch that finds any other checkpoint rolls back.
// The wait is on the earlier batch's advisory lock, which PostgreSQL sees: should
// both ever want the same row (no write of a batch shares one today; a trigger
// or a job key could), it breaks the deadlock, the batch it aborts ends stale,
// and the job goes on one batch at a time.

export type TBatchResult = "more" | "done" | "stopped";
/**
 * The import's created count before and after the batch (the statistics follow its growth). "stale": the
 * batch rolled back because the checkpoint was not the one it was planned on (the batch before it failed,
 * or another job applied it): nothing was written.
 */
export type TBatchOutcome = { result: TBatchResult | "stale"; createdBefore: number; createdAfter: number };
type TWriteMode = "set" | "row_by_row";
/** Where a batch starts, where the batch it must commit after started, and whom to tell once it holds its own batch lock. */
type TBatchPlan = { fromRow?: number; afterFromRow?: number; onLocked?: () => void };
const RUNNING = new Set(["queued", "applying"]);
const TAKEN_MEANWHILE = "This username, email or mobile was taken by another member after the dry run";

/** Held by a pipelined batch's transaction from its start: the next batch waits on it before it commits. */
const lockBatch = (tx: TSqlTransaction, importId: bigint, fromRow: number) =>
  tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`import-batch:${importId}:${fromRow}`}, 0))`;


/** The checkpoint moved under the batch: its transaction rolls back. */
class StaleBatch extends Error {
  constructor(readonly outcome: TBatchOutcome) {
    super("The import's checkpoint is not the one this batch was planned on");
  }
}

const TRANSACTION = { timeoutMs: 120_000 } as const;

type TImportJob = {
  tenant_id: bigint;
  created_count: number;
  status: string;
  applied_rows: number;
  total_rows: number;
  applied_by: bigint | null;
  applier_level: number | null;
  name_order: string;
};

/** The batch's valid rows, each with the member the dry run linked it to (null: a new member then). */
async function readBatchRows(tx: TSqlTransaction, range: TRowRange): Promise<(TBatchRow & { linkedMemberId: bigint | null })[]> {
  const rows = await tx.$queryRaw<{ row_number: number; key: string; values: TImportValues; member_id: bigint | null }[]>`
    SELECT row_number, lower(values->>'username') AS key, values, member_id FROM member_import_rows
    WHERE import_id = ${range.importId} AND row_number BETWEEN ${range.fromRow} AND ${range.toRow} AND outcome IS NULL AND values IS NOT NULL
    ORDER BY row_number`;
  return rows.map((row) => ({ rowNumber: row.row_number, key: row.key, values: row.values, linkedMemberId: row.member_id }));
}

/** Row by row, each in a savepoint: only the rows the database refuses fail. */
async function writeOneByOne(tx: TSqlTransaction, tenantId: bigint, actorId: bigint | null, writes: Parameters<typeof writeMembers>[3]) {
  const ids = new Map<number, bigint>();
  const refused: (TRowRefusal & { rowNumber: number })[] = [];
  for (const write of writes) {
    await tx.$executeRaw`SAVEPOINT import_row`;
    try {
      for (const [rowNumber, id] of await writeMembers(tx, tenantId, actorId, [write], { skipTakenCreates: true })) ids.set(rowNumber, id);
      await tx.$executeRaw`RELEASE SAVEPOINT import_row`;
    } catch (error) {
      const refusal = rowRefusal(error);
      if (!refusal) throw error;
      await tx.$executeRaw`ROLLBACK TO SAVEPOINT import_row`;
      refused.push({ rowNumber: write.rowNumber, ...refusal });
    }
  }
  return { ids, refused };
}

/**
 * The rows' outcomes and members in one statement (the member ids are known: written, or locked
 * as current); then the rows refused by the batch's checks, whose member (if any) is looked up.
 */
async function recordOutcomes(tx: TSqlTransaction, range: TRowRange, outcomes: [rowNumber: number, outcome: string, memberId: bigint | null][]): Promise<void> {
  if (outcomes.length > 0) {
    await tx.$executeRaw`
      UPDATE member_import_rows r SET outcome = t.outcome, member_id = t.member_id
      FROM unnest(${outcomes.map(([rowNumber]) => rowNumber)}::int[], ${outcomes.map(([, outcome]) => outcome)}::text[], ${outcomes.map(([, , id]) => id)}::bigint[])
        AS t(row_number, outcome, member_id)
      WHERE r.import_id = ${range.importId} AND r.row_number BETWEEN ${range.fromRow} AND ${range.toRow} AND r.row_number = t.row_number`;
  }
  await tx.$executeRaw`
    UPDATE member_import_rows r SET member_id = found.id
    FROM member_import_rows s
    CROSS JOIN LATERAL (SELECT u.id FROM users u WHERE u.tenant_id = ${range.tenantId} AND u.username = (s.values->>'username')::citext LIMIT 1) found
    WHERE s.import_id = ${range.importId} AND s.row_number BETWEEN ${range.fromRow} AND ${range.toRow}
      AND s.values IS NOT NULL AND s.member_id IS NULL AND s.outcome IN ('failed', 'invalid')
      AND r.import_id = s.import_id AND r.row_number = s.row_number`;
}

async function readJob(tx: TSqlTransaction, importId: bigint, lock: boolean): Promise<TImportJob | undefined> {
  const [job] = await tx.$queryRaw<TImportJob[]>`
    SELECT i.tenant_id, i.created_count, i.status, i.applied_rows, i.total_rows, i.applied_by, u.sys_admin AS applier_level, t.name_order
    FROM member_imports i
    JOIN tenants t ON t.id = i.tenant_id
    LEFT JOIN users u ON u.id = i.applied_by AND u.tenant_id = i.tenant_id AND u.deleted_at IS NULL
    WHERE i.id = ${importId}
    ${lock ? Prisma.sql`FOR UPDATE OF i` : Prisma.empty}`;
  return job;
}

/**
 * A row for a new member is checked again only when it asks for what the directory could have taken away since the
 * dry run (a department, owner rights) or lacks what only a new member needs (its first member may have gone): a
 * username, email or mobile taken meanwhile is the INSERT's own unique check, at no extra cost (the batch is then redone
 * row by row, each new member's INSERT skipping a taken value, and explainTakenCreates says why).
 */
function needsRecheck(values: TImportValues, applierLevel: number): boolean {
  return (
    REQUIRED_FOR_NEW_MEMBER.some((field) => values[field] === undefined) ||
    (!values.email && !values.mobile) ||
    (values.mainDepartmentId !== undefined && values.mainDepartmentId !== null) ||
    values.deptHead !== undefined ||
    (values.sysAdmin === SYSTEM_ROLE.owner && applierLevel < SYSTEM_ROLE.owner)
  );
}

/** New members the INSERT skipped (a unique value taken since the dry run): the full check says why; returns how many failed. */
async function explainTakenCreates(tx: TSqlTransaction, range: TRowRange, importer: TImportingMember, rowNumbers: number[]): Promise<number> {
  if (rowNumbers.length === 0) return 0;
  await recordMemberConflicts(tx, range, importer, { onlyRows: rowNumbers });
  // Taken by a row the checks cannot see (another import's uncommitted batch, say): still a clear reason.
  await tx.$executeRaw`
    INSERT INTO member_import_errors (import_id, row_number, field, message)
    SELECT ${range.importId}, n, NULL, ${TAKEN_MEANWHILE}
    FROM unnest(${rowNumbers}::int[]) AS n
    WHERE NOT EXISTS (SELECT 1 FROM member_import_errors e WHERE e.import_id = ${range.importId} AND e.row_number = n)`;
  return (await markRowsWithErrors(tx, range, "failed")).size;
}

async function applyBatch(tx: TSqlTransaction, importId: bigint, mode: TWriteMode, plan: TBatchPlan): Promise<TBatchOutcome> {
  const job = await readJob(tx, importId, false);
  const stopped = { result: "stopped", createdBefore: job?.created_count ?? 0, createdAfter: job?.created_count ?? 0 } as const;
  if (!job || !RUNNING.has(job.status)) return stopped;
  if (job.applier_level === null || !isTenantAdmin(job.applier_level)) {
    const locked = await readJob(tx, importId, true);
    if (!locked || !RUNNING.has(locked.status)) return stopped;
    await tx.$executeRaw`
      UPDATE member_imports SET status = 'failed', failure_message = 'The administrator who applied this import may no longer change members',
             finished_at = now(), updated_at = now()
      WHERE id = ${importId}`;
    return stopped;
  }
  const fromRow = plan.fromRow ?? job.applied_rows + 1;
  if (plan.fromRow !== undefined) await lockBatch(tx, importId, fromRow);
  plan.onLocked?.();
  if (fromRow > job.total_rows) throw new StaleBatch({ ...stopped, result: "stale" });
  const range: TRowRange = { importId, tenantId: job.tenant_id, fromRow, toRow: Math.min(fromRow + APPLY_BATCH_ROWS - 1, job.total_rows) };
  const importer = { memberId: job.applied_by, sysAdmin: job.applier_level };

  const staged = await readBatchRows(tx, range);
  const current = await lockCurrentMembers(
    tx,
    job.tenant_id,
    staged.flatMap((row) => (row.linkedMemberId === null ? [] : [{ key: row.key, memberId: row.linkedMemberId }])),
  );
  // The directory may have changed since the dry run: the rows a change could affect are checked again (see needsRecheck).
  await recordMemberConflicts(
    tx,
    range,
    importer,
    { onlyRows: staged.filter((row) => current.has(row.key) || needsRecheck(row.values, job.applier_level!)).map((row) => row.rowNumber) },
  );
  const failedChecks = await markRowsWithErrors(tx, range, "failed");
  const rows = staged.filter((row) => !failedChecks.has(row.rowNumber));
  const { writes, unchanged } = planBatch(rows, current, job.name_order);
  const { ids, refused } =
    mode === "set"
      ? // A plain INSERT: ON CONFLICT would cost every row a second probe of each unique index (a third more for the
        // INSERT). A value taken since the dry run fails the batch, which is then redone row by row, skipping it.
        { ids: await writeMembers(tx, job.tenant_id, job.applied_by, writes), refused: [] }
      : await writeOneByOne(tx, job.tenant_id, job.applied_by, writes);
  const taken = await explainTakenCreates(
    tx,
    range,
    importer,
    writes.filter((write) => !ids.has(write.rowNumber) && !refused.some((refusal) => refusal.rowNumber === write.rowNumber)).map((write) => write.rowNumber),
  );
  const conflicting = failedChecks.size + taken;

  const written = writes.filter((write) => ids.has(write.rowNumber));
  await recordAuditEvents(
    tx,
    { tenantId: job.tenant_id, memberId: job.applied_by },
    { action: "member.imported", targetType: "member", targets: written.map((write) => ({ targetId: ids.get(write.rowNumber)!, changes: write.changes })) },
  );
  // Each row names the member it is about, so erasing that member erases the row (server/lifecycle/hard-delete-members.ts).
  const memberOfKey = (key: string) => current.get(key)?.id ?? null;
  const rowKeys = new Map(rows.map((row) => [row.rowNumber, row.key]));
  const outcomes: [rowNumber: number, outcome: string, memberId: bigint | null][] = [
    ...written.map((write) => [write.rowNumber, write.memberId === null ? "created" : "updated", ids.get(write.rowNumber)!] as [number, string, bigint]),
    ...unchanged.map((rowNumber) => [rowNumber, "unchanged", memberOfKey(rowKeys.get(rowNumber)!)] as [number, string, bigint | null]),
    ...refused.map((refusal) => [refusal.rowNumber, "failed", memberOfKey(rowKeys.get(refusal.rowNumber)!)] as [number, string, bigint | null]),
  ];
  await recordOutcomes(tx, range, outcomes);
  if (refused.length > 0) {
    await tx.$executeRaw`
      INSERT INTO member_import_errors (import_id, row_number, field, message)
      SELECT ${importId}, t.row_number, t.field, left(t.message, 500)
      FROM unnest(${refused.map((refusal) => refusal.rowNumber)}::int[], ${refused.map((refusal) => refusal.field)}::text[], ${refused.map((refusal) => refusal.message)}::text[])
        AS t(row_number, field, message)`;
  }
  // The checkpoint this batch builds on: the batch before it ends first (committed, or rolled back, which makes this one stale).
  if (plan.afterFromRow !== undefined) await lockBatch(tx, importId, plan.afterFromRow);
  const checkpoint = await readJob(tx, importId, true);
  // Cancelled (or failed) while the batch ran: its writes roll back.
  if (!checkpoint || !RUNNING.has(checkpoint.status)) throw new StaleBatch({ ...stopped, createdBefore: checkpoint?.created_count ?? 0, createdAfter: checkpoint?.created_count ?? 0 });
  if (checkpoint.applied_rows !== range.fromRow - 1) throw new StaleBatch({ result: "stale", createdBefore: checkpoint.created_count, createdAfter: checkpoint.created_count });
  const count = (outcome: string) => outcomes.filter(([, value]) => value === outcome).length;
  const done = range.toRow >= job.total_rows;
  await tx.$executeRaw`
    UPDATE member_imports SET
      applied_rows = ${range.toRow},
      created_count = created_count + ${count("created")}, updated_count = updated_count + ${count("updated")},
      unchanged_count = unchanged_count + ${count("unchanged")}, failed_count = failed_count + ${conflicting + refused.length},
      status = ${done ? "completed" : "applying"}, finished_at = ${done ? new Date() : null}::timestamptz, updated_at = now()
    WHERE id = ${importId}`;
  return { result: done ? "done" : "more", createdBefore: checkpoint.created_count, createdAfter: checkpoint.created_count + count("created") };
}

/**
 * One batch, set-based; when the database refuses a row the checks could not foresee, the batch again, row by row.
 * Without a plan, the batch after the checkpoint.
 */
export async function applyNextBatch(db: TDatabase, importId: bigint, plan: TBatchPlan = {}): Promise<TBatchOutcome> {
  const attempt = async (mode: TWriteMode) => {
    try {
      // A plain connection, not Prisma's: the batch's arrays go to the driver as they are (server/db/sql-transaction.ts).
      return await inSqlTransaction((tx) => applyBatch(tx, importId, mode, plan), TRANSACTION);
    } catch (error) {
      if (error instanceof StaleBatch) return error.outcome;
      // Two batches at work wanted each other's rows: the one PostgreSQL aborted wrote nothing.
      if (plan.fromRow !== undefined && databaseErrorOf(error)?.sqlState === "40P01") return { result: "stale", createdBefore: 0, createdAfter: 0 } as const;
      throw error;
    } finally {
      // A batch that failed before it took its lock must not hold up the next one's start.
      plan.onLocked?.();
    }
  };
  try {
    return await attempt("set");
  } catch (error) {
    if (!rowRefusal(error)) throw error;
    return attempt("row_by_row");
  }
}

/** Starts a pipelined batch and resolves once it holds its batch lock (or has ended), so the next one can wait on it. */
async function startBatch(db: TDatabase, importId: bigint, fromRow: number, afterFromRow: number | undefined): Promise<{ fromRow: number; outcome: Promise<TBatchOutcome> }> {
  let locked!: () => void;
  const holdsLock = new Promise<void>((resolve) => (locked = resolve));
  const batch = applyNextBatch(db, importId, { fromRow, afterFromRow, onLocked: locked });
  // Awaited in order later; until then a failure must not count as unhandled.
  batch.catch(() => undefined);
  await holdsLock;
  return { fromRow, outcome: batch };
}

/**
 * From the checkpoint, `width` batches at a time, until the import ends, a batch goes stale (then
 * "stale") or the slice is used up. Each batch that commits asks for fresh statistics beside the next ones.
 */
async function applyFromCheckpoint(
  db: TDatabase,
  importId: bigint,
  width: number,
  sliceLeft: () => boolean,
  refreshStatistics: (createdBefore: number, createdAfter: number) => void,
): Promise<TBatchResult | "stale"> {
  const position = await db.memberImport.findUnique({ where: { id: importId }, select: { appliedRows: true, totalRows: true, status: true } });
  if (!position || !RUNNING.has(position.status) || position.appliedRows >= position.totalRows) return "stopped";
  let next = position.appliedRows + 1;
  const inFlight: { fromRow: number; outcome: Promise<TBatchOutcome> }[] = [];
  let ended: TBatchOutcome["result"] | null = null;
  let issuing = true;
  try {
    do {
      while (issuing && inFlight.length < width && next <= position.totalRows) {
        inFlight.push(await startBatch(db, importId, next, inFlight.at(-1)?.fromRow));
        next += APPLY_BATCH_ROWS;
        issuing = sliceLeft();
      }
      const { result, createdBefore, createdAfter } = await inFlight[0]!.outcome;
      inFlight.shift();
      refreshStatistics(createdBefore, createdAfter);
      // The batches after one that ended the import (or went stale) roll back on their own: let them.
      if (result !== "more") {
        ended ??= result;
        issuing = false;
      }
    } while (inFlight.length > 0);
  } finally {
    await Promise.allSettled(inFlight.map((batch) => batch.outcome));
  }
  if (ended === "done" || ended === "stopped") return ended;
  return sliceLeft() ? "stale" : "more";
}

/**
 * Batches until the import is done or the time slice is used up ("more": the caller hands over to a fresh job),
 * APPLY_BATCHES_IN_FLIGHT at a time, each committing after the one before it. A new batch starts only while
 * the slice lasts (so a slice of 0 applies exactly one). After a stale batch, one at a time.
 */
export async function applyImport(db: TDatabase, importId: bigint, sliceMs = APPLY_SLICE_MS): Promise<TBatchResult> {
  const started = performance.now();
  const sliceLeft = () => performance.now() - started < sliceMs;
  // Beside the batches, not between them: an ANALYZE held up the next batch's start.
  const statistics: Promise<boolean>[] = [];
  const refreshStatistics = (createdBefore: number, createdAfter: number) => {
    const refresh = analyzeUsersAfterGrowth(db, createdBefore, createdAfter);
    // Awaited (and thrown) below; until then a failure must not count as unhandled.
    refresh.catch(() => undefined);
    statistics.push(refresh);
  };
  let result: Awaited<ReturnType<typeof applyFromCheckpoint>>;
  try {
    result = await applyFromCheckpoint(db, importId, APPLY_BATCHES_IN_FLIGHT, sliceLeft, refreshStatistics);
    // Stale: the batch before failed, or another job moved the checkpoint: again from the checkpoint, one batch at a time.
    while (result === "stale") result = await applyFromCheckpoint(db, importId, 1, sliceLeft, refreshStatistics);
  } catch (error) {
    // The apply's own failure is the one to report, not a statistics refresh's.
    await Promise.allSettled(statistics);
    throw error;
  }
  await Promise.all(statistics);
  return result;
}
