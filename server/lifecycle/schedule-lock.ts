import type { TTransaction } from "@/server/db/client";
import { recordAuditEvents } from "@/server/audit/record-audit-event";
import { enqueueMany } from "@/server/queue/enqueue";
import type { TLifecycleActor } from "@/server/lifecycle/member-authority";
import { lockAndSortMembers, type TRefusal } from "@/server/lifecycle/load-members";
import { memberJobKey } from "@/server/lifecycle/job-keys";

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
