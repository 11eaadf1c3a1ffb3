import type { TDatabaseOrTransaction } from "@/server/db/client";
import { SYSTEM_ROLE } from "@/server/shared/roles";

// Who a set of firing rules alerts, and by which channel. Recipients are
// admins who can sign in (the notification centre is in the console); a
// named member who is no longer an admin, or cannot sign in, is skipped.

export type TFiringRule = { id: bigint; notifyOwners: boolean; notifyAdmins: boolean; byConsole: boolean; byMail: boolean; memberIds: bigint[] };
export type TRecipient = { memberId: bigint; email: string | null; byConsole: boolean; byMail: boolean };
type TAdmin = { id: bigint; email: string | null; sys_admin: number };

const activeAdmins = (db: TDatabaseOrTransaction, tenantId: bigint) =>
  db.$queryRaw<TAdmin[]>`
    SELECT id, email::text, sys_admin FROM users
    WHERE tenant_id = ${tenantId} AND sys_admin >= ${SYSTEM_ROLE.admin} AND state = 'active' AND deleted_at IS NULL
    ORDER BY id`;

/**
 * Never the actor alone about their own action: when the rules resolve to
 * nobody but the actor (or nobody at all), the organisation's other owners
 * are alerted too, or, with no other owner, its other admins.
 */
export async function resolveRecipients(db: TDatabaseOrTransaction, tenantId: bigint, actorId: bigint | null, rules: TFiringRule[]): Promise<TRecipient[]> {
  if (rules.length === 0) return [];
  const admins = await activeAdmins(db, tenantId);
  const chosen = new Map<bigint, TRecipient>();
  const add = (admin: TAdmin, channels: { byConsole: boolean; byMail: boolean }) => {
    const current = chosen.get(admin.id) ?? { memberId: admin.id, email: admin.email, byConsole: false, byMail: false };
    chosen.set(admin.id, { ...current, byConsole: current.byConsole || channels.byConsole, byMail: current.byMail || channels.byMail });
  };
  for (const rule of rules) {
    const named = new Set(rule.memberIds);
    for (const admin of admins) {
      const owner = admin.sys_admin >= SYSTEM_ROLE.owner;
      if ((rule.notifyOwners && owner) || rule.notifyAdmins || named.has(admin.id)) add(admin, rule);
    }
  }
  const onlyActor = [...chosen.keys()].every((id) => id === actorId);
  if (onlyActor) {
    const channels = { byConsole: rules.some((rule) => rule.byConsole), byMail: rules.some((rule) => rule.byMail) };
    const others = admins.filter((admin) => admin.id !== actorId);
    const owners = others.filter((admin) => admin.sys_admin >= SYSTEM_ROLE.owner);
    for (const admin of owners.length > 0 ? owners : others) add(admin, channels);
  }
  return [...chosen.values()];
}
