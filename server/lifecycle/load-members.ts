import type { TTransaction } from "@/server/db/client";
import { authorityRefusal, type TLifecycleActor } from "@/server/lifecycle/member-authority";
import { isAllowed, refusalMessage, type TLifecycleAction, type TMemberState } from "@/server/shared/member-states";

export type TLockedMember = {
  id: bigint;
  username: string;
  email: string | null;
  fullName: string;
  state: TMemberState;
  sysAdmin: number;
  lockStartAt: Date | null;
  lockEndAt: Date | null;
  lockReason: string | null;
  startDate: Date | null;
  scheduledLeaveAt: Date | null;
};

/**
 * The tenant's members among `memberIds`, row-locked for the rest of the
 * transaction (in id order, so two bulk actions never deadlock).
 */
export async function lockMembersForUpdate(tx: TTransaction, tenantId: bigint, memberIds: bigint[]): Promise<TLockedMember[]> {
  if (memberIds.length === 0) return [];
  const rows = await tx.$queryRaw<
    { id: bigint; username: string; email: string | null; full_name: string; state: TMemberState; sys_admin: number; lock_start_at: Date | null; lock_end_at: Date | null; lock_reason: string | null; start_date: Date | null; scheduled_leave_at: Date | null }[]
  >`
    SELECT id, username::text, email::text, full_name, state, sys_admin, lock_start_at, lock_end_at, lock_reason, start_date, scheduled_leave_at
    FROM users WHERE tenant_id = ${tenantId} AND id = ANY(${memberIds}::bigint[])
    ORDER BY id FOR UPDATE`;
  return rows.map((row) => ({
    id: row.id,
    username: row.username,
    email: row.email,
    fullName: row.full_name,
    state: row.state,
    sysAdmin: row.sys_admin,
    lockStartAt: row.lock_start_at,
    lockEndAt: row.lock_end_at,
    lockReason: row.lock_reason,
    startDate: row.start_date,
    scheduledLeaveAt: row.scheduled_leave_at,
  }));
}

export type TRefusal = { memberId: bigint; username: string | null; message: string };

/**
 * Locks the members and sorts them: those the action may proceed on, and
 * those it may not, each with the reason (not in this organisation, the
 * actor's authority, the state table). Every lifecycle entry point starts here.
 */
export async function lockAndSortMembers(
  tx: TTransaction,
  actor: TLifecycleActor,
  action: TLifecycleAction,
  memberIds: bigint[],
): Promise<{ movers: TLockedMember[]; refused: TRefusal[] }> {
  const members = await lockMembersForUpdate(tx, actor.tenantId, memberIds);
  const found = new Set(members.map((member) => member.id));
  const refused: TRefusal[] = memberIds.filter((id) => !found.has(id)).map((memberId) => ({ memberId, username: null, message: "No such member in your organisation" }));
  const movers: TLockedMember[] = [];
  for (const member of members) {
    const message = authorityRefusal(actor, member, action) ?? (isAllowed(action, member.state) ? null : refusalMessage(action, member.state));
    if (message) refused.push({ memberId: member.id, username: member.username, message });
    else movers.push(member);
  }
  return { movers, refused };
}
