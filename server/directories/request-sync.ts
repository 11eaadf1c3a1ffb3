import type { TDatabase, TTransaction } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError, violatedUniqueIndex } from "@/server/errors";
import type { TActor } from "@/server/shared/actor";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { enqueue } from "@/server/queue/enqueue";
import { ZSyncRunAction, ZSyncStart, type TSyncRunActionInput, type TSyncStartInput } from "@/server/directories/sync-schemas";

// Starting a run ("Sync now", or the schedule), approving a plan that waits
// (a first sync's dry run, or a run the safety stop held), cancelling one.
// A directory has at most one run at work (a partial unique index) and one
// job per run (its job key).

export const syncJobKey = (runId: bigint) => `directory-sync:${runId}`;

export async function enqueueSyncRun(tx: TTransaction, runId: bigint): Promise<void> {
  await enqueue(tx, "directory__sync", { runId: runId.toString() }, { jobKey: syncJobKey(runId) });
}

const ACTIVE = ["queued", "reading", "applying"];
const WAITING = ["awaiting_approval", "stopped"];

export type TSyncRequester = { tenantId: bigint; memberId: bigint | null };

/**
 * Queues a run of the directory, or returns the one already at work (two
 * clicks, or the schedule meeting a click, make one run). A plan waiting for
 * approval must be approved or cancelled first. The first sync is a dry run.
 */
export async function requestSyncRun(db: TDatabase, requester: TSyncRequester, directoryId: bigint, kind: "full" | "incremental"): Promise<{ runId: bigint; created: boolean }> {
  const attempt = () =>
    db.$transaction(async (tx) => {
      // The directory row is the lock two requests queue on.
      const [directory] = await tx.$queryRaw<{ id: bigint; first_sync_approved_at: Date | null; incremental_mark: string | null }[]>`
        SELECT id, first_sync_approved_at, incremental_mark FROM directories WHERE id = ${directoryId} AND tenant_id = ${requester.tenantId} FOR UPDATE`;
      if (!directory) throw new NotFoundError("No such directory");
      const open = await tx.directorySyncRun.findFirst({ where: { directoryId, status: { in: [...ACTIVE, ...WAITING] } }, orderBy: { id: "desc" }, select: { id: true, status: true } });
      if (open && ACTIVE.includes(open.status)) return { runId: open.id, created: false };
      if (open) throw new ConflictError("A sync of this directory waits for approval: approve or cancel it first");
      const dryRun = directory.first_sync_approved_at === null;
      const effectiveKind = dryRun || directory.incremental_mark === null ? "full" : kind;
      const run = await tx.directorySyncRun.create({
        data: { tenantId: requester.tenantId, directoryId, kind: effectiveKind, dryRun, requestedBy: requester.memberId },
        select: { id: true },
      });
      await enqueueSyncRun(tx, run.id);
      await recordAuditEvent(tx, requester, {
        action: "directory.sync_requested",
        targetType: "directory",
        targetId: directoryId,
        changes: { run: { before: null, after: { id: run.id.toString(), kind: effectiveKind, dryRun } } },
      });
      return { runId: run.id, created: true };
    });
  try {
    return await attempt();
  } catch (error) {
    // Two requests raced past the check: the unique index kept one run; the second finds it.
    if (violatedUniqueIndex(error) !== null) return attempt();
    throw error;
  }
}


/** "Sync now" in the console: an admin. */
export async function startSync(db: TDatabase, actor: TActor, rawInput: TSyncStartInput) {
  const input = ZSyncStart.parse(rawInput);
  const { runId } = await requestSyncRun(db, actor, BigInt(input.directoryId), input.kind);
  return { runId: runId.toString() };
}

async function lockTenantRun(tx: TTransaction, tenantId: bigint, runId: bigint) {
  const [run] = await tx.$queryRaw<{ id: bigint; directory_id: bigint; status: string; dry_run: boolean; deprovisions: number; creates: number; links: number }[]>`
    SELECT id, directory_id, status, dry_run, deprovisions, creates, links FROM directory_sync_runs WHERE id = ${runId} AND tenant_id = ${tenantId} FOR UPDATE`;
  if (!run) throw new NotFoundError("No such sync run");
  return run;
}

/**
 * Applies a plan that waits: an owner, with a fresh step-up. Approving writes
 * many members at once, links existing accounts to the directory (which then
 * manages them, owners included) and deprovisions: a bulk lifecycle action
 * beyond a plain admin's authority.
 */
export async function approveSyncRun(db: TDatabase, actor: TActor & TStepUpSession & { sysAdmin: number }, rawInput: TSyncRunActionInput) {
  const runId = BigInt(ZSyncRunAction.parse(rawInput).runId);
  await db.$transaction(async (tx) => {
    const run = await lockTenantRun(tx, actor.tenantId, runId);
    if (actor.sysAdmin < SYSTEM_ROLE.owner) throw new ForbiddenError("Only an owner may approve a directory sync");
    if (!WAITING.includes(run.status)) throw new InvalidTransitionError("Only a plan waiting for approval can be approved");
    await assertStepUp(tx, actor, "directory.sync_approve");
    await tx.$executeRaw`
      UPDATE directory_sync_runs SET status = 'applying', approved_by = ${actor.memberId}, heartbeat_at = now() WHERE id = ${runId}`;
    await enqueueSyncRun(tx, runId);
    await recordAuditEvent(tx, actor, {
      action: "directory.sync_approved",
      targetType: "directory",
      targetId: run.directory_id,
      changes: { run: { before: run.status, after: { id: runId.toString(), creates: run.creates, links: run.links, deprovisions: run.deprovisions } } },
    });
  });
  return { runId: runId.toString() };
}

/** Stops a run that has not finished (applied batches stay applied); an admin. */
export async function cancelSyncRun(db: TDatabase, actor: TActor, rawInput: TSyncRunActionInput) {
  const runId = BigInt(ZSyncRunAction.parse(rawInput).runId);
  await db.$transaction(async (tx) => {
    const run = await lockTenantRun(tx, actor.tenantId, runId);
    if (![...ACTIVE, ...WAITING].includes(run.status)) throw new InvalidTransitionError("This run has already ended");
    await tx.$executeRaw`UPDATE directory_sync_runs SET status = 'cancelled', finished_at = now() WHERE id = ${runId}`;
    await recordAuditEvent(tx, actor, {
      action: "directory.sync_cancelled",
      targetType: "directory",
      targetId: run.directory_id,
      changes: { run: { before: run.status, after: "cancelled" } },
    });
  });
  return { runId: runId.toString() };
}
