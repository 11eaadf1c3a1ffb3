import type { TDatabase, TTransaction } from "@/server/db/client";
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

const includesAdmins = async (db: TDatabase, tenantId: bigint, memberIds: bigint[]) =>
  (await db.user.count({ where: { tenantId, id: { in: memberIds }, sysAdmin: { gte: SYSTEM_ROLE.admin } } })) > 0;

/**
 * The console's entry point for every lifecycle action, on one member or many:
 * one transaction, then the proof that access reached zero. A single member
 * the action does not apply to is an error with the reason; in bulk, refusals
 * are reported per member and the rest proceed.
 */
export async function runLifecycleAction(db: TDatabase, actor: TLifecycleActor & TStepUpSession, rawInput: TLifecycleActionInput): Promise<TLifecycleActionOutcome> {
  const input = ZLifecycleActionInput.parse(rawInput);
  // A restore gives back every role, policy and admin right the members had: as sensitive as granting them.
  if (input.action === "restore") await assertStepUp(db, actor, "member.restore");
  const memberIds = [...new Set(input.memberIds)].map((id) => BigInt(id));
  // Letting a disabled or locked admin back in brings their admin rights back: as sensitive as making an admin.
  if ((input.action === "enable" || input.action === "unlock") && (await includesAdmins(db, actor.tenantId, memberIds))) {
    await assertStepUp(db, actor, "member.admin_enable");
  }

  // A resignation or a lock with a date ahead is only scheduled: a job carries it out then.
  const schedule = async (plan: (tx: TTransaction) => Promise<{ scheduled: bigint[]; refused: TRefusal[] }>): Promise<TLifecycleActionOutcome> => {
    const result = await db.$transaction(plan, { timeout: 120_000 });
    failIfSingleRefused(memberIds, result.refused);
    return {
      action: input.action,
      scheduled: true,
      changed: result.scheduled.map((id) => ({ memberId: id.toString(), username: "", state: "scheduled", receiptId: null })),
      refused: result.refused.map(refusalOut),
      notRestored: {},
    };
  };
  if (input.action === "resign" && input.leaveDate) {
    const leaveDate = input.leaveDate;
    return schedule((tx) => scheduleLeave(tx, actor, memberIds, leaveDate, input.reason ?? null));
  }
  if (input.action === "lock" && input.lockStartDate) {
    const lock = { lockStartDate: input.lockStartDate, lockEndDate: input.lockEndDate ?? null, reason: input.reason ?? null };
    return schedule((tx) => scheduleLock(tx, actor, memberIds, lock));
  }

  let notRestored = new Map<bigint, string[]>();
  const result: TTransitionResult = await db.$transaction(
    async (tx) => {
      if (input.action === "restore") {
        const restored = await restoreMembers(tx, actor, memberIds);
        notRestored = restored.skipped;
        return restored;
      }
      const options = {
        reason: "reason" in input ? input.reason : null,
        lockEndDate: "lockEndDate" in input ? (input.lockEndDate ?? null) : null,
      };
      return transitionMembers(tx, actor, input.action, memberIds, options);
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  const committedAtMs = performance.timeOrigin + performance.now();
  failIfSingleRefused(memberIds, result.refused);

  const totalSessions = result.changed.reduce((sum, member) => sum + member.sessionIds.length, 0);
  if (totalSessions <= INLINE_PROOF_SESSION_LIMIT) {
    await proveZeroAccessOf(
      db,
      result.changed.flatMap((member) => (member.receiptId ? [{ receiptId: member.receiptId, sessionIds: member.sessionIds, committedAtMs }] : [])),
    );
  }
  return {
    action: input.action,
    scheduled: false,
    changed: result.changed.map((member) => ({ memberId: member.memberId.toString(), username: member.username, state: member.after, receiptId: member.receiptId?.toString() ?? null })),
    refused: result.refused.map(refusalOut),
    notRestored: Object.fromEntries([...notRestored].map(([id, names]) => [id.toString(), names])),
  };
}

function failIfSingleRefused(memberIds: bigint[], refused: TRefusal[]): void {
  if (memberIds.length === 1 && refused[0]) throw new InvalidTransitionError(refused[0].message);
}
