import type { TTransaction } from "@/server/db/client";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import type { TLifecycleActor } from "@/server/lifecycle/member-authority";
import { transitionMembers, type TTransitionAction, type TTransitionResult } from "@/server/lifecycle/transition-members";
import { restoreMembers } from "@/server/lifecycle/restore-members";

// A directory's leavers go through the lifecycle's own code (the console's
// transitions): receipts, revoked sessions, lost access, audit events, with
// the directory named as the actor. Returning entries come back the same way.

export type TDirectoryActorSource = { id: bigint; tenantId: bigint; name: string; deprovisionAction: string };

/** The directory acting: the system's authority, named on events and receipts. */
export function directoryActor(directory: Pick<TDirectoryActorSource, "id" | "tenantId">): TLifecycleActor {
  return { tenantId: directory.tenantId, memberId: null, directoryId: directory.id, sysAdmin: SYSTEM_ROLE.owner + 1 };
}

const DEPROVISION_ACTIONS: Record<string, TTransitionAction> = { disable: "disable", resign: "resign", archive: "archive", delete: "delete" };

export type TDeprovisionReason = "missing" | "disabled";

/** Applies the directory's chosen action to members whose entries are gone or disabled in LDAP, in the caller's transaction. */
export async function deprovisionDirectoryMembers(
  tx: TTransaction,
  directory: TDirectoryActorSource,
  memberIds: bigint[],
  reason: TDeprovisionReason,
): Promise<TTransitionResult> {
  const action = DEPROVISION_ACTIONS[directory.deprovisionAction] ?? "disable";
  const why = reason === "missing" ? `No longer in directory ${directory.name}` : `Disabled in directory ${directory.name}`;
  return transitionMembers(tx, directoryActor(directory), action, memberIds, { reason: why.slice(0, 200) });
}

/**
 * Members whose entries are back (or enabled again) return to active through
 * the reverse of what the directory did: restore from the recycle bin, then
 * unarchive, then enable, each step only for those it applies to.
 */
export async function reenableDirectoryMembers(tx: TTransaction, directory: TDirectoryActorSource, memberIds: bigint[]): Promise<{ reenabled: bigint[] }> {
  const actor = directoryActor(directory);
  const states = async () =>
    new Map((await tx.user.findMany({ where: { id: { in: memberIds }, tenantId: directory.tenantId }, select: { id: true, state: true } })).map((row) => [row.id, row.state]));
  let current = await states();
  const inState = (state: string) => memberIds.filter((id) => current.get(id) === state);
  if (inState("deleted").length > 0) await restoreMembers(tx, actor, inState("deleted"));
  current = await states();
  if (inState("archived").length > 0) await transitionMembers(tx, actor, "unarchive", inState("archived"));
  current = await states();
  const toEnable = [...inState("disabled"), ...inState("resigned")];
  const enabled = toEnable.length > 0 ? await transitionMembers(tx, actor, "enable", toEnable) : { changed: [] };
  return { reenabled: enabled.changed.map((member) => member.memberId) };
}
