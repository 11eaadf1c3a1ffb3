import type { TDatabase, TDatabaseOrTransaction, TTransaction } from "@/server/db/client";
import { InvalidTransitionError } from "@/server/errors";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import type { TLifecycleActor } from "@/server/lifecycle/member-authority";
import { restoreMembers } from "@/server/lifecycle/restore-members";
import { scheduleLeave } from "@/server/lifecycle/schedule-leave";
import { scheduleLock } from "@/server/lifecycle/schedule-lock";
import { ZLifecycleActionInput, type TLifecycleActionInput } from "@/server/lifecycle/schemas";
import { transitionMembers, type TRefusal, type TTransitionResult } from "@/server/lifecycle/transition-members";
import { INLINE_PROOF_SESSION_LIMIT, proveZeroAccessOf } from "@/server/lifecycle/zero-access";

export type TLifecycleActionOutcome = {
  action: string;
  /** Members the action changed (or, for a scheduled leave or lock, scheduled). */
  changed: { memberId: string; username: string; state: string; receiptId: string | null }[];
  refused: { memberId: string; username: string | null; message: string }[];
  scheduled: boolean;
  /** Relations a restore could not bring back (deleted meanwhile), by member id. */
  notRestored: Record<string, string[]>;
};

const refusalOut = (refusal: TRefusal) => ({ memberId: refusal.memberId.toString(), username: refusal.username, message: refusal.message });

const includesAdmins = async (db: TDatabaseOrTransaction, tenantId: bigint, memberIds: bigint[]) =>
  (await db.user.count({ where: { tenantId, id: { in: memberIds }, sysAdmin: { gte: SYSTEM_ROLE.admin } } })) > 0;

/** Receipts an action wrote, to be proven once its transaction has committed. */
export type TPendingProofs = { receipts: { receiptId: bigint; sessionIds: string[] }[] };

/**
 * A lifecycle action inside the caller's transaction (a SCIM PUT that also
 * writes the profile): the same checks and transitions as runLifecycleAction;
 * the caller commits, then calls proveLifecycleAction with `proofs`.
 */
export async function lifecycleActionInTransaction(
  tx: TTransaction,
  actor: TLifecycleActor & TStepUpSession,
  rawInput: TLifecycleActionInput,
): Promise<{ outcome: TLifecycleActionOutcome; proofs: TPendingProofs }> {
  const input = ZLifecycleActionInput.parse(rawInput);
  // A restore gives back every role, policy and admin right the members had: as sensitive as granting them.
  if (input.action === "restore") await assertStepUp(tx, actor, "member.restore");
  const memberIds = [...new Set(input.memberIds)].map((id) => BigInt(id));
  // Letting a disabled or locked admin back in brings their admin rights back: as sensitive as making an admin.
  if ((input.action === "enable" || input.action === "unlock") && (await includesAdmins(tx, actor.tenantId, memberIds))) {
    await assertStepUp(tx, actor, "member.admin_enable");
  }

  // A resignation or a lock with a date ahead is only scheduled: a job carries it out then.
  const scheduled = (result: { scheduled: bigint[]; refused: TRefusal[] }) => {
    failIfSingleRefused(memberIds, result.refused);
    const outcome = {
      action: input.action,
      scheduled: true,
      changed: result.scheduled.map((id) => ({ memberId: id.toString(), username: "", state: "scheduled", receiptId: null })),
      refused: result.refused.map(refusalOut),
      notRestored: {},
    };
    return { outcome, proofs: { receipts: [] } };
  };
  if (input.action === "resign" && input.leaveDate) return scheduled(await scheduleLeave(tx, actor, memberIds, input.leaveDate, input.reason ?? null));
  if (input.action === "lock" && input.lockStartDate) {
    return scheduled(await scheduleLock(tx, actor, memberIds, { lockStartDate: input.lockStartDate, lockEndDate: input.lockEndDate ?? null, reason: input.reason ?? null }));
  }

  let notRestored = new Map<bigint, string[]>();
  let result: TTransitionResult;
  if (input.action === "restore") {
    const restored = await restoreMembers(tx, actor, memberIds);
    notRestored = restored.skipped;
    result = restored;
  } else {
    const options = {
      reason: "reason" in input ? input.reason : null,
      lockEndDate: "lockEndDate" in input ? (input.lockEndDate ?? null) : null,
    };
    result = await transitionMembers(tx, actor, input.action, memberIds, options);
  }
  failIfSingleRefused(memberIds, result.refused);
  const outcome = {
    action: input.action,
    scheduled: false,
    changed: result.changed.map((member) => ({ memberId: member.memberId.toString(), username: member.username, state: member.after, receiptId: member.receiptId?.toString() ?? null })),
    refused: result.refused.map(refusalOut),
    notRestored: Object.fromEntries([...notRestored].map(([id, names]) => [id.toString(), names])),
  };
  const receipts = result.changed.flatMap((member) => (member.receiptId ? [{ receiptId: member.receiptId, sessionIds: member.sessionIds }] : []));
  return { outcome, proofs: { receipts } };
}

/**
 * After the commit: the proof that access reached zero, inline when small;
 * larger bulk actions are proven by the member__revoke_sessions job.
 */
export async function proveLifecycleAction(db: TDatabase, proofs: TPendingProofs, committedAtMs: number): Promise<void> {
  const totalSessions = proofs.receipts.reduce((sum, receipt) => sum + receipt.sessionIds.length, 0);
  if (totalSessions > INLINE_PROOF_SESSION_LIMIT) return;
  await proveZeroAccessOf(db, proofs.receipts.map((receipt) => ({ receiptId: receipt.receiptId, sessionIds: receipt.sessionIds, committedAtMs })));
}

/**
 * The console's entry point for every lifecycle action, on one member or many:
 * one transaction, then the proof that access reached zero. A single member
 * the action does not apply to is an error with the reason; in bulk, refusals
 * are reported per member and the rest proceed.
 */
export async function runLifecycleAction(db: TDatabase, actor: TLifecycleActor & TStepUpSession, rawInput: TLifecycleActionInput): Promise<TLifecycleActionOutcome> {
  const { outcome, proofs } = await db.$transaction((tx) => lifecycleActionInTransaction(tx, actor, rawInput), { timeout: 120_000, maxWait: 10_000 });
  await proveLifecycleAction(db, proofs, performance.timeOrigin + performance.now());
  return outcome;
}

function failIfSingleRefused(memberIds: bigint[], refused: TRefusal[]): void {
  if (memberIds.length === 1 && refused[0]) throw new InvalidTransitionError(refused[0].message);
}
