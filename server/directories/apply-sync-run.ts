import { performance } from "node:perf_hooks";
import type { TDatabase, TTransaction } from "@/server/db/client";
import type { Directory } from "@/server/db/generated/client";
import { recordAuditEvents } from "@/server/audit/record-audit-event";
import { rowRefusal, writeMembers, type TRowRefusal } from "@/server/imports/write-members";
import type { TPlannedWrite } from "@/server/imports/plan-batch";
import { transferMembersIn } from "@/server/org/transfer-members";
import { deprovisionDirectoryMembers, directoryActor, reenableDirectoryMembers } from "@/server/directories/deprovision-members";
import { mirrorDepartments } from "@/server/directories/mirror-departments";
import { planEntryWrites, readSyncMembers, type TStagedRecord } from "@/server/directories/sync-members";
import { laterMark, lockRun, syncDirectoryOf, type TLockedRun } from "@/server/directories/sync-run-state";
import { ZAttributeMapping } from "@/server/directories/attribute-mapping";
import { SYNC_APPLY_BATCH, SYNC_APPLY_SLICE_MS, SYNC_LIFECYCLE_BATCH } from "@/server/directories/sync-limits";
import { syncGroups } from "@/server/directories/sync-groups";

// The apply step of a run: the staged plan, a batch per transaction, in a
// fixed order: member writes (creates, links, updates, moves), re-enables,
// deprovisions, then the groups and the run's end. Each batch marks its
// entries applied (applied_at) with its writes, so a job that dies resumes
// after the last committed batch and never writes an entry twice.

export type TApplyResult = "more" | "done" | "ended";

const TRANSACTION = { timeout: 120_000, maxWait: 30_000 } as const;
const WRITE_ACTIONS = ["create", "link", "update", "move"];

type TStagedRow = { entry_id: string; dn: string; action: string; member_id: bigint | null; record: TStagedRecord };

type TBatchContext = { tx: TTransaction; run: TLockedRun; directory: Directory; cursor: TApplyCursor };

/**
 * Where each phase of this job got to: batches walk the entries in entry id
 * order from there (the primary key), never re-scanning the entries already
 * applied (a scan from the start would pass them all again, batch after batch).
 */
export type TApplyCursor = Record<"write" | "reenable" | "deprovision", string>;
export const freshCursor = (): TApplyCursor => ({ write: "", reenable: "", deprovision: "" });

async function pendingEntries(tx: TTransaction, runId: bigint, actions: string[], limit: number, cursor: TApplyCursor, phase: keyof TApplyCursor): Promise<TStagedRow[]> {
  const after = cursor[phase];
  const rows = await tx.$queryRaw<TStagedRow[]>`
    SELECT entry_id, dn, action, member_id, record FROM directory_sync_entries
    WHERE run_id = ${runId} AND entry_id > ${after} AND applied_at IS NULL AND action = ANY(${actions}::text[])
    ORDER BY run_id, entry_id LIMIT ${limit}`;
  // Nothing after the cursor: look once from the start (a batch whose transaction failed left its entries behind).
  if (rows.length === 0 && after !== "") {
    cursor[phase] = "";
    return pendingEntries(tx, runId, actions, limit, cursor, phase);
  }
  return rows;
}

// The entries are found by the primary key (`= ANY`): joined on the unnested list alone, the planner may scan every
// entry of the run once per batch.
async function markApplied(tx: TTransaction, runId: bigint, entryIds: string[], refused: Map<string, TRowRefusal>, memberIds: Map<string, bigint>): Promise<void> {
  const errors = entryIds.map((id) => (refused.has(id) ? JSON.stringify([refused.get(id)]) : null));
  const members = entryIds.map((id) => memberIds.get(id) ?? null);
  await tx.$executeRaw`
    UPDATE directory_sync_entries e SET applied_at = now(),
           action = CASE WHEN t.errors IS NULL THEN e.action ELSE 'error' END,
           errors = coalesce(t.errors::jsonb, e.errors), member_id = coalesce(t.member_id, e.member_id)
    FROM unnest(${entryIds}::text[], ${errors}::text[], ${members}::bigint[]) AS t(entry_id, errors, member_id)
    WHERE e.run_id = ${runId} AND e.entry_id = ANY(${entryIds}::text[]) AND e.entry_id = t.entry_id`;
  const failed = refused.size;
  await tx.$executeRaw`
    UPDATE directory_sync_runs SET applied = applied + ${entryIds.length - failed}, errors = errors + ${failed},
           heartbeat_at = now()
    WHERE id = ${runId}`;
}

/** Row by row, each in a savepoint: only the entries the database refuses fail. */
async function writeOneByOne(tx: TTransaction, tenantId: bigint, writes: TPlannedWrite[]) {
  const ids = new Map<number, bigint>();
  const refused = new Map<number, TRowRefusal>();
  for (const write of writes) {
    await tx.$executeRaw`SAVEPOINT sync_entry`;
    try {
      for (const [row, id] of await writeMembers(tx, tenantId, null, [write], { source: "ldap" })) ids.set(row, id);
      await tx.$executeRaw`RELEASE SAVEPOINT sync_entry`;
    } catch (error) {
      const refusal = rowRefusal(error);
      if (!refusal) throw error;
      await tx.$executeRaw`ROLLBACK TO SAVEPOINT sync_entry`;
      refused.set(write.rowNumber, refusal);
    }
  }
  return { ids, refused };
}

const TRANSFERABLE = new Set(["pending", "active", "locked", "disabled"]);

/** One batch of member writes; false when none was left. */
async function applyWriteBatch({ tx, run, directory, cursor }: TBatchContext, mode: "set" | "row_by_row"): Promise<boolean> {
  const rows = await pendingEntries(tx, run.id, WRITE_ACTIONS, SYNC_APPLY_BATCH, cursor, "write");
  if (rows.length === 0) return false;
  const actor = directoryActor(directory);
  const planning = await syncDirectoryOf(tx, directory);
  const chains = rows.map((row) => row.record.departments).filter((chain) => chain !== null && chain.length > 0) as NonNullable<TStagedRecord["departments"]>[];
  const departmentIds = await mirrorDepartments(tx, actor, directory, chains);
  const targetOf = (row: TStagedRow) => {
    const key = row.record.departments?.at(-1)?.key;
    return key ? departmentIds.get(key) : undefined;
  };
  const members = await readSyncMembers(tx, directory.tenantId, directory.id, rows.flatMap((row) => (row.member_id === null ? [] : [row.member_id])), true);
  const refused = new Map<string, TRowRefusal>();
  // The member may have changed since the plan: one now managed by another directory (or entry) is never taken over.
  const writable = rows.filter((row) => {
    const member = row.member_id === null ? undefined : members.get(row.member_id);
    if (row.member_id !== null && (!member || member.state === "deleted" || member.state === "archived")) {
      refused.set(row.entry_id, { field: null, message: "The member was deleted or archived after the plan was made" });
      return false;
    }
    if (member && member.directoryId !== null && (member.directoryId !== directory.id || member.entryId !== row.entry_id)) {
      refused.set(row.entry_id, { field: null, message: "The member is now managed by another directory or entry: it is never taken over" });
      return false;
    }
    return row.record.values !== null;
  });
  const writes = planEntryWrites(
    writable.map((row) => ({ entryId: row.entry_id, dn: row.dn, memberId: row.member_id, values: row.record.values!, mainDepartmentId: targetOf(row)?.toString() })),
    members,
    directory.id,
    planning.nameOrder,
  );
  const written =
    mode === "set"
      ? { ids: await writeMembers(tx, directory.tenantId, null, writes, { source: "ldap" }), refused: new Map<number, TRowRefusal>() }
      : await writeOneByOne(tx, directory.tenantId, writes);
  for (const [rowNumber, refusal] of written.refused) refused.set(writable[rowNumber]!.entry_id, refusal);
  const done = writes.filter((write) => written.ids.has(write.rowNumber));
  await recordAuditEvents(tx, actor, {
    action: "member.synced",
    targetType: "member",
    targets: done.map((write) => ({ targetId: written.ids.get(write.rowNumber)!, changes: write.changes })),
  });

  // A person moved in LDAP is transferred, with the lifecycle's department rules (main department, heads, access).
  const moves = new Map<bigint, bigint[]>();
  for (const row of writable) {
    const target = targetOf(row);
    const member = row.member_id === null ? undefined : members.get(row.member_id);
    if (!member || target === undefined || refused.has(row.entry_id) || !TRANSFERABLE.has(member.state)) continue;
    if (member.mainDepartmentId === target.toString()) continue;
    moves.set(target, [...(moves.get(target) ?? []), member.id]);
  }
  for (const [departmentId, memberIds] of moves) await transferMembersIn(tx, actor, memberIds, departmentId.toString());

  const memberIds = new Map<string, bigint>();
  for (const write of done) memberIds.set(writable[write.rowNumber]!.entry_id, written.ids.get(write.rowNumber)!);
  await markApplied(tx, run.id, rows.map((row) => row.entry_id), refused, memberIds);
  cursor.write = rows.at(-1)!.entry_id;
  return true;
}

/** One batch of re-enables or deprovisions, through the lifecycle; false when none was left. */
async function applyLifecycleBatch({ tx, run, directory, cursor }: TBatchContext, action: "reenable" | "deprovision"): Promise<boolean> {
  const rows = await pendingEntries(tx, run.id, [action], SYNC_LIFECYCLE_BATCH, cursor, action);
  if (rows.length === 0) return false;
  const ids = (filter: (row: TStagedRow) => boolean) => rows.filter((row) => row.member_id !== null && filter(row)).map((row) => row.member_id!);
  if (action === "reenable") await reenableDirectoryMembers(tx, directory, ids(() => true));
  else {
    const missing = ids((row) => row.record.reason !== "disabled");
    const disabled = ids((row) => row.record.reason === "disabled");
    if (missing.length > 0) await deprovisionDirectoryMembers(tx, directory, missing, "missing");
    if (disabled.length > 0) await deprovisionDirectoryMembers(tx, directory, disabled, "disabled");
  }
  await markApplied(tx, run.id, rows.map((row) => row.entry_id), new Map(), new Map());
  cursor[action] = rows.at(-1)!.entry_id;
  return true;
}

/** The run's end: groups mirrored, the mark advanced, the first sync approved for good. */
async function finishRun({ tx, run, directory }: TBatchContext): Promise<void> {
  await syncGroups(tx, directory);
  const mapping = ZAttributeMapping.parse(directory.attributeMapping);
  const mark = laterMark(directory.incrementalMark, run.incremental_mark, mapping.changeMark);
  await tx.$executeRaw`
    UPDATE directories SET incremental_mark = ${mark}, last_synced_at = now(), updated_at = now(),
           first_sync_approved_at = coalesce(first_sync_approved_at, CASE WHEN ${run.dry_run} THEN now() END)
    WHERE id = ${directory.id}`;
  await tx.$executeRaw`UPDATE directory_sync_runs SET status = 'succeeded', finished_at = now(), heartbeat_at = now() WHERE id = ${run.id}`;
}

async function applyStep(tx: TTransaction, runId: bigint, mode: "set" | "row_by_row", cursor: TApplyCursor): Promise<TApplyResult> {
  const run = await lockRun(tx, runId);
  if (!run || run.status !== "applying") return "ended";
  const directory = await tx.directory.findUniqueOrThrow({ where: { id: run.directory_id } });
  const context = { tx, run, directory, cursor };
  if (await applyWriteBatch(context, mode)) return "more";
  if (await applyLifecycleBatch(context, "reenable")) return "more";
  if (await applyLifecycleBatch(context, "deprovision")) return "more";
  await finishRun(context);
  return "done";
}

/** One batch, set-based; when the database refuses an entry the plan could not foresee, the batch again, entry by entry. */
export async function applyNextSyncBatch(db: TDatabase, runId: bigint, cursor: TApplyCursor = freshCursor()): Promise<TApplyResult> {
  // The cursor moves only with a committed batch: a failed attempt starts from where it started.
  const attempt = async (mode: "set" | "row_by_row") => {
    const working = { ...cursor };
    const result = await db.$transaction((tx) => applyStep(tx, runId, mode, working), TRANSACTION);
    Object.assign(cursor, working);
    return result;
  };
  try {
    return await attempt("set");
  } catch (error) {
    if (!rowRefusal(error)) throw error;
    return attempt("row_by_row");
  }
}

const appliedSoFar = async (db: TDatabase, runId: bigint) =>
  (await db.directorySyncRun.findUnique({ where: { id: runId }, select: { applied: true } }))?.applied ?? 0;

/**
 * When the run's applied entries pass 1,000, 10,000, 100,000, the tenant's
 * members have grown tenfold since the planner last looked (an empty tenant's
 * first sync): without fresh statistics, the batches' updates by member id
 * scan the tenant instead of probing it, slower with every batch.
 */
async function analyzeAfterGrowth(db: TDatabase, before: number, after: number): Promise<void> {
  const magnitude = (count: number) => (count < 1000 ? 0 : Math.floor(Math.log10(count)));
  if (magnitude(after) > magnitude(before)) await db.$executeRaw`ANALYZE users (tenant_id, username, email, mobile, deleted_at, user_directory_id, directory_entry_id)`;
}

/** Batches until the run is done or the slice is used up ("more": the caller hands over to a fresh job). */
export async function applySyncRun(db: TDatabase, runId: bigint, options: { sliceMs?: number; maxBatches?: number } = {}): Promise<TApplyResult> {
  const started = performance.now();
  const cursor = freshCursor();
  let applied = await appliedSoFar(db, runId);
  for (let batches = 1; ; batches += 1) {
    const result = await applyNextSyncBatch(db, runId, cursor);
    const now = await appliedSoFar(db, runId);
    await analyzeAfterGrowth(db, applied, now);
    applied = now;
    if (result !== "more") return result;
    if (performance.now() - started >= (options.sliceMs ?? SYNC_APPLY_SLICE_MS) || batches >= (options.maxBatches ?? Infinity)) return "more";
  }
}
