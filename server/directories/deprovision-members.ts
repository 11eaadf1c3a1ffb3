import type { TTransaction } from "@/server/db/client";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import type { TLifecycleActor } from "@/server/lifecycle/member-authority";
import { transitionMembers, type TRefusal, type TTransitionAction, type TTransitionResult } from "@/server/lifecycle/transition-members";
import { restoreMembers } from "@/server/lifecycle/restore-members";

// A directory's leavers go through the lifecycle's own code (the console's
// transitions): receipts, revoked sessions, lost access, audit events, with
// the directory named as the actor. Returning entries come back the same way.
//
// A directory acts with the system's authority, owners included: the LDAP is
// the source of truth, and an owner who left the company must lose access like
// anyone else. One exception: the organisation's last owner who can still sign
// in is never deprovisioned by a directory (nobody would be left to fix a
// wrong base DN); that member is refused and stays as they are.

export type TDirectoryActorSource = { id: bigint; tenantId: bigint; name: string; deprovisionAction: string; reenableReturning?: boolean };

/** The directory acting: the system's authority, named on events and receipts. */
export function directoryActor(directory: Pick<TDirectoryActorSource, "id" | "tenantId">): TLifecycleActor {
  return { tenantId: directory.tenantId, memberId: null, directoryId: directory.id, sysAdmin: SYSTEM_ROLE.owner + 1 };
}

const DEPROVISION_ACTIONS: Record<string, TTransitionAction> = { disable: "disable", resign: "resign", archive: "archive", delete: "delete" };

export type TDeprovisionReason = "missing" | "disabled";

export const NOT_THIS_DIRECTORY = "Not a member of this directory";
export const LAST_OWNER = "The organisation's last owner is never deprovisioned by a directory";

/** States in which an owner can still sign in and act for the organisation. */
const OWNER_CAN_ACT = ["active", "locked"];

/** Applies the directory's chosen action to members whose entries are gone or disabled in LDAP, in the caller's transaction. */
export async function deprovisionDirectoryMembers(
  tx: TTransaction,
  directory: TDirectoryActorSource,
  memberIds: bigint[],
  reason: TDeprovisionReason,
): Promise<TTransitionResult> {
  const action = DEPROVISION_ACTIONS[directory.deprovisionAction] ?? "disable";
  const why = reason === "missing" ? `No longer in directory ${directory.name}` : `Disabled in directory ${directory.name}`;
  const { ours, refused } = await membersOfDirectory(tx, directory, memberIds);
  const { allowed, kept } = await sparingLastOwner(tx, directory.tenantId, ours);
  const result = allowed.length > 0 ? await transitionMembers(tx, directoryActor(directory), action, allowed, { reason: why.slice(0, 200) }) : { changed: [], refused: [] };
  return { changed: result.changed, refused: [...refused, ...kept, ...result.refused] };
}

/**
 * Members whose entries are back (or enabled again) return to active through
 * the reverse of what the directory did: restore from the recycle bin, then
 * unarchive, then enable, each step only for those it applies to. Only what
 * this directory did is undone: a member an admin disabled, archived or
 * deleted in the console stays so (their latest receipt names the admin).
 * Nothing happens when the directory does not re-enable returning entries.
 * A member hard-deleted after the grace period no longer exists: the sync
 * creates a new member for the returning entry.
 */
export async function reenableDirectoryMembers(tx: TTransaction, directory: TDirectoryActorSource, memberIds: bigint[]): Promise<{ reenabled: bigint[] }> {
  if (directory.reenableReturning === false || memberIds.length === 0) return { reenabled: [] };
  const actor = directoryActor(directory);
  const undoable = await deprovisionedByDirectory(tx, directory, memberIds);
  const states = async () =>
    new Map((await tx.user.findMany({ where: { id: { in: undoable }, tenantId: directory.tenantId }, select: { id: true, state: true } })).map((row) => [row.id, row.state]));
  let current = await states();
  const inState = (state: string) => undoable.filter((id) => current.get(id) === state);
  const restored = inState("deleted").length > 0 ? await restoreMembers(tx, actor, inState("deleted")) : { changed: [] };
  current = await states();
  if (inState("archived").length > 0) await transitionMembers(tx, actor, "unarchive", inState("archived"));
  current = await states();
  const toEnable = [...inState("disabled"), ...inState("resigned")];
  const enabled = toEnable.length > 0 ? await transitionMembers(tx, actor, "enable", toEnable) : { changed: [] };
  const restoredActive = restored.changed.filter((member) => member.after === "active").map((member) => member.memberId);
  return { reenabled: [...restoredActive, ...enabled.changed.map((member) => member.memberId)] };
}

/** The members among `memberIds` this directory manages in its tenant; the others are refused, never touched. */
async function membersOfDirectory(tx: TTransaction, directory: TDirectoryActorSource, memberIds: bigint[]): Promise<{ ours: bigint[]; refused: TRefusal[] }> {
  if (memberIds.length === 0) return { ours: [], refused: [] };
  const rows = await tx.user.findMany({
    where: { id: { in: memberIds }, tenantId: directory.tenantId, userDirectoryId: directory.id },
    select: { id: true },
  });
  const found = new Set(rows.map((row) => row.id));
  return {
    ours: memberIds.filter((id) => found.has(id)),
    refused: memberIds.filter((id) => !found.has(id)).map((memberId) => ({ memberId, username: null, message: NOT_THIS_DIRECTORY })),
  };
}

/**
 * Keeps one owner who can act when the batch would take the last: the
 * tenant's owners are row-locked first (in id order), so two directories
 * deprovisioning owners at once cannot each take "the other" last one.
 */
async function sparingLastOwner(tx: TTransaction, tenantId: bigint, memberIds: bigint[]): Promise<{ allowed: bigint[]; kept: TRefusal[] }> {
  if (memberIds.length === 0) return { allowed: [], kept: [] };
  const owners = await tx.$queryRaw<{ id: bigint; username: string; state: string }[]>`
    SELECT id, username::text, state FROM users
    WHERE tenant_id = ${tenantId} AND sys_admin >= ${SYSTEM_ROLE.owner}
    ORDER BY id FOR UPDATE`;
  const leaving = new Set(memberIds);
  const acting = owners.filter((owner) => OWNER_CAN_ACT.includes(owner.state));
  if (acting.length === 0 || acting.some((owner) => !leaving.has(owner.id))) return { allowed: memberIds, kept: [] };
  const spared = acting[0]!;
  return { allowed: memberIds.filter((id) => id !== spared.id), kept: [{ memberId: spared.id, username: spared.username, message: LAST_OWNER }] };
}

/** Of `memberIds`, those whose latest offboarding (their latest receipt) this directory made. */
async function deprovisionedByDirectory(tx: TTransaction, directory: TDirectoryActorSource, memberIds: bigint[]): Promise<bigint[]> {
  const rows = await tx.$queryRaw<{ user_id: bigint }[]>`
    SELECT latest.user_id FROM (
      SELECT DISTINCT ON (r.user_id) r.user_id, r.actor_directory_id
      FROM lifecycle_receipts r JOIN users u ON u.id = r.user_id
      WHERE r.tenant_id = ${directory.tenantId} AND r.user_id = ANY(${memberIds}::bigint[]) AND u.user_directory_id = ${directory.id}
      ORDER BY r.user_id, r.id DESC
    ) latest
    WHERE latest.actor_directory_id = ${directory.id}`;
  const found = new Set(rows.map((row) => row.user_id));
  return memberIds.filter((id) => found.has(id));
}
