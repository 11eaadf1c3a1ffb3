import type { TDatabase } from "@/server/db/client";
import { findSignInApplication } from "@/server/application-members/find-sign-in-application";
import { ZApplicationListInput, type TApplicationListInput } from "@/server/application-members/schemas";

// An application's live sessions: the members holding an access or refresh
// token of its client that has not expired, in the provider's own storage
// (what a lifecycle action or "End session" deletes), in member id order,
// a keyset page at a time on oidc_payloads_client_idx.

export type TLiveApplicationSession = {
  memberId: string;
  memberName: string;
  username: string;
  accessTokens: number;
  refreshTokens: number;
  /** When the last of the member's tokens there expires (the session cannot outlive it). */
  expiresAt: Date | null;
  lastSignInAt: Date | null;
};

export async function listLiveApplicationSessions(db: TDatabase, tenantId: bigint, rawInput: TApplicationListInput, now = new Date()) {
  const input = ZApplicationListInput.parse(rawInput);
  const application = await findSignInApplication(db, tenantId, BigInt(input.applicationId));
  if (!application.clientId) return { items: [] as TLiveApplicationSession[], nextCursor: null };
  const after = input.cursor ? BigInt(input.cursor) : 0n;
  const rows = await db.$queryRaw<{ user_id: bigint; full_name: string; username: string; access_tokens: number; refresh_tokens: number; expires_at: Date | null; last_sign_in_at: Date | null }[]>`
    WITH live AS (
      SELECT p.user_id,
        (count(*) FILTER (WHERE p.model = 'AccessToken'))::int AS access_tokens,
        (count(*) FILTER (WHERE p.model = 'RefreshToken'))::int AS refresh_tokens,
        max(p.expires_at) AS expires_at
      FROM oidc_payloads p
      WHERE p.tenant_id = ${tenantId} AND p.client_id = ${application.clientId} AND p.user_id > ${after}
        AND p.model IN ('AccessToken', 'RefreshToken') AND (p.expires_at IS NULL OR p.expires_at > ${now})
        AND p.consumed_at IS NULL
      GROUP BY p.user_id
      ORDER BY p.user_id
      LIMIT ${input.limit + 1})
    SELECT live.*, u.full_name, u.username::text AS username,
      (SELECT max(s.created_at) FROM application_sign_ins s WHERE s.user_id = live.user_id AND s.application_id = ${application.id} AND s.outcome = 'granted') AS last_sign_in_at
    FROM live JOIN users u ON u.id = live.user_id AND u.tenant_id = ${tenantId}
    ORDER BY live.user_id`;
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(
      (row): TLiveApplicationSession => ({
        memberId: row.user_id.toString(),
        memberName: row.full_name,
        username: row.username,
        accessTokens: row.access_tokens,
        refreshTokens: row.refresh_tokens,
        expiresAt: row.expires_at,
        lastSignInAt: row.last_sign_in_at,
      }),
    ),
    nextCursor: rows.length > input.limit ? page.at(-1)!.user_id.toString() : null,
  };
}
