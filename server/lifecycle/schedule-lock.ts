import type { TDatabase, TTransaction } from "@/server/db/client";
import { recordAuditEvent, recordAuditEvents } from "@/server/audit/record-audit-event";
import { InvalidTransitionError } from "@/server/errors";
import { cancelJobs, enqueueMany } from "@/server/queue/enqueue";
import { authorityRefusal, type TLifecycleActor } from "@/server/lifecycle/member-authority";
import { lockAndSortMembers, lockMembersForUpdate, type TRefusal } from "@/server/lifecycle/load-members";
import { memberJobKey } from "@/server/lifecycle/job-keys";
import { SCHEDULED_LOCK } from "@/server/lifecycle/time-rules";

/**
 * A lock that starts later (the specification's lockStartDate): the member
 * keeps working until then, and the member__lock job locks them at that
 * moment with the reason and end given now (time-rules.ts, rule "lock"). A
 * new schedule replaces the old one. Until it starts, lock_start_at is later
 * than last_locked_at: that is what makes it a scheduled lock, not a past one.
 */
export async function scheduleLock(
  tx: TTransaction,
  actor: TLifecycleActor,
  memberIds: bigint[],
  schedule: { lockStartDate: Date; lockEndDate: Date | null; reason: string | null },
): Promise<{ scheduled: bigint[]; refused: TRefusal[] }> {
  const { movers, refused } = await lockAndSortMembers(tx, actor, "lock", memberIds);
  const ids = movers.map((member) => member.id);
  if (ids.length === 0) return { scheduled: [], refused };
  const { lockStartDate, lockEndDate, reason } = schedule;
  await tx.$executeRaw`
    UPDATE users SET lock_start_at = ${lockStartDate}, lock_end_at = ${lockEndDate}, lock_reason = ${reason}, updated_at = now(), last_modified_by = ${actor.memberId}
    WHERE id = ANY(${ids}::bigint[])`;
  await enqueueMany(tx, "member__lock", ids.map((id) => ({ payload: { memberId: id.toString() }, runAt: lockStartDate, jobKey: memberJobKey("lock", id) })));
  await recordAuditEvents(tx, actor, {
    action: "member.lock_scheduled",
    targetType: "member",
    targets: movers.map((member) => ({
      targetId: member.id,
      changes: {
        lockStartDate: { before: member.lockStartAt, after: lockStartDate },
        lockEndDate: { before: member.lockEndAt, after: lockEndDate },
        ...(reason ? { reason: { before: null, after: reason } } : {}),
      },
    })),
  });
  return { scheduled: ids, refused };
}

export const NO_SCHEDULED_LOCK = "No lock is scheduled for this member: it has started already (unlock them instead), or was dropped by another action";

/**
 * The console's "Cancel scheduled lock": the member stays as they are, the member__lock job is removed and the
 * schedule cleared (the every-minute catch-up then finds nothing due either), and the trail says what was dropped.
 * Only a lock still to come: one that started is ended by an unlock. Who may unlock the member may cancel it.
 */
export async function cancelScheduledLock(db: TDatabase, actor: TLifecycleActor, memberId: bigint): Promise<{ cancelled: true }> {
  return db.$transaction(async (tx) => {
    const [member] = await lockMembersForUpdate(tx, actor.tenantId, [memberId]);
    if (!member) throw new InvalidTransitionError("No such member in your organisation");
    const refusal = authorityRefusal(actor, member, "unlock");
    if (refusal) throw new InvalidTransitionError(refusal);
    const dropped = await tx.$executeRaw`
      UPDATE users u SET lock_start_at = NULL, lock_end_at = NULL, lock_reason = NULL, updated_at = now(), last_modified_by = ${actor.memberId}
      WHERE u.id = ${member.id} AND ${SCHEDULED_LOCK}`;
    if (dropped === 0) throw new InvalidTransitionError(NO_SCHEDULED_LOCK);
    await cancelJobs(tx, [memberJobKey("lock", member.id)]);
    await recordAuditEvent(tx, actor, {
      action: "member.lock_cancelled",
      targetType: "member",
      targetId: member.id,
      changes: {
        lockStartDate: { before: member.lockStartAt, after: null },
        lockEndDate: { before: member.lockEndAt, after: null },
        ...(member.lockReason ? { reason: { before: member.lockReason, after: null } } : {}),
      },
    });
    return { cancelled: true as const };
  });
}
