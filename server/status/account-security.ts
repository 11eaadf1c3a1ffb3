import type { TDatabase } from "@/server/db/client";

export type TAccountSecurity = { activeMembers: number; withoutMfa: number; lockedMembers: number };

/**
 * Active members without two-step verification, and members locked now. One
 * query: active and locked are counted from users_tenant_state_idx (index
 * only); those WITH verification walk member_mfa (a row per enrolled member)
 * and probe users by key, and "without" is the difference, so a million
 * members are never each probed in member_mfa.
 */
export async function getAccountSecurity(db: TDatabase, tenantId: bigint): Promise<TAccountSecurity> {
  const [row] = await db.$queryRaw<{ active: bigint; with_mfa: bigint; locked: bigint }[]>`
    SELECT
      (SELECT count(*) FROM users WHERE tenant_id = ${tenantId} AND state = 'active') AS active,
      (SELECT count(*) FROM member_mfa m JOIN users u ON u.id = m.user_id
       WHERE m.enabled_at IS NOT NULL AND u.tenant_id = ${tenantId} AND u.state = 'active') AS with_mfa,
      (SELECT count(*) FROM users WHERE tenant_id = ${tenantId} AND state = 'locked') AS locked`;
  const active = Number(row?.active ?? 0);
  return { activeMembers: active, withoutMfa: active - Number(row?.with_mfa ?? 0), lockedMembers: Number(row?.locked ?? 0) };
}
