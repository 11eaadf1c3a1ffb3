import type { TDatabase, TTransaction } from "@/server/db/client";
import { revokeApplicationAccess, type TLogoutCause } from "@/server/application-sessions/revoke-application-access";

/** The cause the applications are told for a member left in each blocked state. */
const CAUSE_OF_STATE: Record<string, TLogoutCause> = { locked: "lock", disabled: "disable", resigned: "resign", archived: "archive", deleted: "delete" };

/**
 * The member__revoke_sessions job's sweep: ends any session still open for
 * these members while they may not sign in (one opened in a race with the
 * action's commit), at Tenure and at the applications, and marks them
 * offline. Set-based and idempotent.
 */
export async function revokeSessionsOfBlockedMembers(db: TDatabase, memberIds: bigint[], receiptIds: bigint[] = []): Promise<number> {
  if (memberIds.length === 0) return 0;
  return db.$transaction(async (tx) => {
    const ended = await tx.$executeRaw`
      UPDATE sessions s SET revoked_at = now(), revoked_reason = 'account_blocked'
      FROM users u
      WHERE s.user_id = u.id AND u.id = ANY(${memberIds}::bigint[]) AND u.state <> 'active'
        AND s.revoked_at IS NULL AND s.expires_at > now()`;
    await tx.$executeRaw`
      UPDATE users SET online = false, offline_at = now()
      WHERE id = ANY(${memberIds}::bigint[]) AND state <> 'active' AND online`;
    await revokeLateApplicationAccess(tx, memberIds, receiptIds);
    return ended;
  });
}

/** A token or provider session made in a race with the action (the provider checked the member just before it committed). */
async function revokeLateApplicationAccess(tx: TTransaction, memberIds: bigint[], receiptIds: bigint[]): Promise<void> {
  const members = await tx.$queryRaw<{ id: bigint; tenant_id: bigint; state: string; receipt_id: bigint | null }[]>`
    SELECT u.id, u.tenant_id, u.state,
      (SELECT max(r.id) FROM lifecycle_receipts r WHERE r.user_id = u.id AND r.id = ANY(${receiptIds}::bigint[])) AS receipt_id
    FROM users u
    WHERE u.id = ANY(${memberIds}::bigint[]) AND u.state <> 'active'
      AND EXISTS (SELECT 1 FROM oidc_payloads p WHERE p.user_id = u.id)`;
  const groups = new Map<string, { tenantId: bigint; cause: TLogoutCause; userIds: bigint[]; receipts: Map<bigint, bigint> }>();
  for (const member of members) {
    const cause = CAUSE_OF_STATE[member.state];
    if (!cause) continue;
    const key = `${member.tenant_id}:${cause}`;
    const group = groups.get(key) ?? { tenantId: member.tenant_id, cause, userIds: [] as bigint[], receipts: new Map<bigint, bigint>() };
    group.userIds.push(member.id);
    if (member.receipt_id !== null) group.receipts.set(member.id, member.receipt_id);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    await revokeApplicationAccess(tx, { tenantId: group.tenantId, userIds: group.userIds, applicationIds: "all", cause: group.cause, receiptIdByUser: group.receipts });
  }
}
