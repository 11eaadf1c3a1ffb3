import type { TDatabase } from "@/server/db/client";
import { endedCondition } from "@/server/auth/session-ended-condition";

export type TOnlineNow = { onlineMembers: number; openSessions: number };

/**
 * Members online now (their `online` flag, which follows their last open
 * session) and the sessions open now. One query: the partial index
 * users_tenant_online_idx holds only online members, and sessions_tenant_idx
 * only this tenant's sessions (at most a lifetime old: the sweep deletes the rest).
 */
export async function getOnlineNow(db: TDatabase, tenantId: bigint, now = new Date()): Promise<TOnlineNow> {
  const [row] = await db.$queryRaw<{ online_members: bigint; open_sessions: bigint }[]>`
    SELECT
      (SELECT count(*) FROM users u WHERE u.tenant_id = ${tenantId} AND u.online) AS online_members,
      (SELECT count(*) FROM sessions s LEFT JOIN tenant_security_policies p ON p.tenant_id = s.tenant_id
       WHERE s.tenant_id = ${tenantId} AND s.revoked_at IS NULL AND NOT ${endedCondition(now)}) AS open_sessions`;
  return { onlineMembers: Number(row?.online_members ?? 0), openSessions: Number(row?.open_sessions ?? 0) };
}
