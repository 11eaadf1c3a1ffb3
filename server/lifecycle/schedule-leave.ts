import type { TDatabase, TTransaction } from "@/server/db/client";
import { InvalidTransitionError } from "@/server/errors";
import { recordAuditEvents } from "@/server/audit/record-audit-event";
import { cancelJobs, enqueueMany } from "@/server/queue/enqueue";
import type { TLifecycleActor } from "@/server/lifecycle/member-authority";
import { lockAndSortMembers, type TRefusal } from "@/server/lifecycle/load-members";
import { memberJobKey } from "@/server/lifecycle/job-keys";

/**
 * Records a future leave date: the member keeps working until then, and the
 * member__resign job carries out the resignation at that moment. A new date
 * replaces the old one; `leaveDate: null` cancels it.
 */
export async function scheduleLeave(
  tx: TTransaction,
  actor: TLifecycleActor,
  memberIds: bigint[],
  leaveDate: Date | null,
  reason: string | null,
): Promise<{ scheduled: bigint[]; refused: TRefusal[] }> {
  const { movers: scheduled, refused } = await lockAndSortMembers(tx, actor, "resign", memberIds);
  const ids = scheduled.map((member) => member.id);
  if (ids.length === 0) return { scheduled: [], refused };
  await tx.$executeRaw`
    UPDATE users SET scheduled_leave_at = ${leaveDate}, scheduled_leave_reason = ${leaveDate ? reason : null}, updated_at = now(), last_modified_by = ${actor.memberId}
    WHERE id = ANY(${ids}::bigint[])`;
  if (leaveDate) {
    await enqueueMany(tx, "member__resign", ids.map((id) => ({ payload: { memberId: id.toString() }, runAt: leaveDate, jobKey: memberJobKey("resign", id) })));
  } else {
    await cancelJobs(tx, ids.map((id) => memberJobKey("resign", id)));
  }
  await recordAuditEvents(tx, actor, {
    action: leaveDate ? "member.resignation_scheduled" : "member.resignation_cancelled",
    targetType: "member",
    targets: scheduled.map((member) => ({
      targetId: member.id,
      changes: { scheduledLeaveAt: { before: member.scheduledLeaveAt, after: leaveDate }, ...(leaveDate && reason ? { reason: { before: null, after: reason } } : {}) },
    })),
  });
  return { scheduled: ids, refused };
}

/** The console's "cancel scheduled leave" (the member stays, the job is cancelled). */
export async function cancelScheduledLeave(db: TDatabase, actor: TLifecycleActor, memberId: bigint): Promise<{ cancelled: true }> {
  const result = await db.$transaction((tx) => scheduleLeave(tx, actor, [memberId], null, null));
  const refusal = result.refused[0];
  if (refusal) throw new InvalidTransitionError(refusal.message);
  return { cancelled: true };
}
