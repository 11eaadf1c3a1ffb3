import type { TTransaction } from "@/server/db/client";
import { InvalidTransitionError } from "@/server/errors";
import type { TActor } from "@/server/shared/actor";
import { systemActor, type TLifecycleActor } from "@/server/lifecycle/member-authority";
import { transitionMembers } from "@/server/lifecycle/transition-members";

/**
 * Locks one member inside the caller's transaction (sign-in lockout, or the
 * member's own "this wasn't me"): sets the lock, ends their sessions, records
 * the audit event and schedules the unlock at lockEndDate. An actor without a
 * member id is the system.
 */
export async function lockMember(
  tx: TTransaction,
  actor: TActor,
  input: { memberId: bigint; reason: string; lockEndDate: Date | null; applicationLogoutCause?: "not_me" },
): Promise<{ lockEndDate: Date | null }> {
  const lifecycleActor: TLifecycleActor = { ...actor, sysAdmin: actor.memberId === null ? systemActor(actor.tenantId).sysAdmin : 0 };
  const result = await transitionMembers(tx, lifecycleActor, "lock", [input.memberId], {
    reason: input.reason,
    lockEndDate: input.lockEndDate,
    ...(input.applicationLogoutCause ? { applicationLogoutCause: input.applicationLogoutCause } : {}),
  });
  const refusal = result.refused[0];
  if (refusal) throw new InvalidTransitionError(refusal.message);
  return { lockEndDate: input.lockEndDate };
}
