import { SYSTEM_ROLE } from "@/server/shared/roles";
import type { TActor } from "@/server/shared/actor";
import type { TLifecycleAction } from "@/server/shared/member-states";
import { ownerAuthorityRefusal } from "@/server/shared/member-authority";

export type TLifecycleActor = TActor & { sysAdmin: number };

/** Jobs act as the system: no member, full authority, no client. */
export function systemActor(tenantId: bigint): TLifecycleActor {
  return { tenantId, memberId: null, sysAdmin: SYSTEM_ROLE.owner + 1 };
}

/**
 * Why this actor may not take this action on this member, or null. Nobody
 * changes their own status (an admin could shut themselves out) except to lock
 * their own account ("this wasn't me"); only an owner acts on an owner, as
 * only an owner grants the owner role.
 */
export function authorityRefusal(actor: TLifecycleActor, member: { id: bigint; sysAdmin: number }, action: TLifecycleAction | "hard-delete"): string | null {
  if (actor.memberId !== null && actor.memberId === member.id) return action === "lock" ? null : "You cannot change your own account's status";
  if (ownerAuthorityRefusal(actor, member)) return "Only an owner may change an owner's status";
  return null;
}
