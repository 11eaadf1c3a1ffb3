import type { TDatabase } from "@/server/db/client";

/**
 * The member__revoke_sessions job's sweep: ends any session still open for
 * these members while they may not sign in (one opened in a race with the
 * action's commit) and marks them offline. Set-based and idempotent.
 */
export async function revokeSessionsOfBlockedMembers(db: TDatabase, memberIds: bigint[]): Promise<number> {
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
    return ended;
  });
}
