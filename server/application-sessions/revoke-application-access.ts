import { Prisma } from "@/server/db/generated/client";
import type { TTransaction } from "@/server/db/client";
import { enqueueMany } from "@/server/queue/enqueue";

// Issue 14, item 4: the lifecycle reaches the applications. Revoking a
// member's access to an application (the contract of issue 14) deletes their
// access and refresh tokens, codes and grants for its client in oidc-provider's
// storage (access tokens are opaque: a deleted row is a refused token), takes
// the client out of their provider sessions, and queues one back-channel
// logout token per session the application had. All in the caller's
// transaction, in a few set-based statements whatever the number of members,
// so a bulk disable of 10,000 members costs the same round trips as one.

export const LOGOUT_CAUSES = ["lock", "disable", "resign", "archive", "delete", "application_revoked", "not_me", "password_reset", "sessions_revoked"] as const;
export type TLogoutCause = (typeof LOGOUT_CAUSES)[number];

/**
 * graphile-worker waits e^attempt seconds (at most e^10, ~6 h) after each
 * failure: 13 attempts keep trying for about 22 hours, so an application down
 * overnight still hears of the leaver when it comes back.
 */
export const LOGOUT_DELIVERY_MAX_ATTEMPTS = 13;

/** The models holding something a member could use at an application (all but the session itself). */
const CREDENTIAL_MODELS = ["AccessToken", "RefreshToken", "AuthorizationCode", "DeviceCode", "BackchannelAuthenticationRequest", "Grant"];

export type TApplicationRevocation = { applicationId: bigint; members: number; tokensRevoked: number; logoutsQueued: number };

type TRevokeInput = {
  tenantId: bigint;
  userIds: bigint[];
  /** "all": every application, and every provider session of the members ends. */
  applicationIds: bigint[] | "all";
  cause: TLogoutCause;
  /** The lifecycle receipt each member's lines complete. */
  receiptIdByUser?: Map<bigint, bigint>;
};

/** Revokes the members' access to the applications (or all of them) in `tx`; returns what it did, by application. */
export async function revokeApplicationAccess(tx: TTransaction, input: TRevokeInput): Promise<TApplicationRevocation[]> {
  if (input.userIds.length === 0 || (input.applicationIds !== "all" && input.applicationIds.length === 0)) return [];
  const target =
    input.applicationIds === "all"
      ? Prisma.sql`SELECT m.user_id, NULL::text AS client_id FROM unnest(${input.userIds}::bigint[]) AS m(user_id)`
      : clientsOf(input.tenantId, Prisma.sql`SELECT m.user_id, a.application_id FROM unnest(${input.userIds}::bigint[]) AS m(user_id) CROSS JOIN unnest(${input.applicationIds}::bigint[]) AS a(application_id)`);
  return revokeTargets(tx, input.tenantId, target, input.cause, input.receiptIdByUser ?? new Map<bigint, bigint>());
}

/**
 * Inside a recorded access change (server/access-changes): every member who
 * lost an application in effective access, directly or through a department
 * or group, loses their tokens and sessions there. Reads the net changes the
 * recording left in tenure_access_span / tenure_access_pairs.
 */
export async function revokeLostApplicationAccess(tx: TTransaction, tenantId: bigint): Promise<TApplicationRevocation[]> {
  const lost = Prisma.sql`
    SELECT s.user_id, k.item_id AS application_id
    FROM tenure_access_span s
    JOIN tenure_access_pairs k ON coalesce(k.old_profile, 0) = coalesce(s.old_profile, 0) AND coalesce(k.new_profile, 0) = coalesce(s.new_profile, 0)
    WHERE k.kind = 2 AND k.net < 0`;
  return revokeTargets(tx, tenantId, clientsOf(tenantId, lost), "application_revoked", new Map<bigint, bigint>());
}

/** (member, application) pairs → (member, client id), for the organisation's sign-in applications only. */
function clientsOf(tenantId: bigint, pairs: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT x.user_id, a.oidc_client_id::text AS client_id
    FROM (${pairs}) x JOIN applications a ON a.id = x.application_id AND a.tenant_id = ${tenantId} AND a.oidc_client_id IS NOT NULL`;
}

/**
 * `target` yields (user_id, client_id); a NULL client id means every
 * application. One statement: delete the credentials, end or trim the
 * provider sessions, write one line per (member, application, session sid).
 */
async function revokeTargets(tx: TTransaction, tenantId: bigint, target: Prisma.Sql, cause: TLogoutCause, receiptIdByUser: Map<bigint, bigint>): Promise<TApplicationRevocation[]> {
  const receiptUsers = [...receiptIdByUser.keys()];
  const receiptIds = receiptUsers.map((userId) => receiptIdByUser.get(userId)!);
  const lines = await tx.$queryRaw<{ id: bigint; application_id: bigint; user_id: bigint; status: string; tokens_revoked: number }[]>`
    WITH target AS MATERIALIZED (${target}),
    credentials AS (
      DELETE FROM oidc_payloads p USING target t
      WHERE p.tenant_id = ${tenantId} AND p.user_id = t.user_id AND (t.client_id IS NULL OR p.client_id = t.client_id)
        AND p.model = ANY(${CREDENTIAL_MODELS}::text[])
      RETURNING p.user_id, p.client_id, p.model),
    token_counts AS (
      SELECT user_id, client_id, (count(*) FILTER (WHERE model <> 'Grant'))::int AS tokens
      FROM credentials WHERE client_id IS NOT NULL GROUP BY user_id, client_id),
    sessions AS (
      SELECT p.id, p.user_id, p.payload, (p.expires_at IS NULL OR p.expires_at > now()) AS live
      FROM oidc_payloads p
      WHERE p.tenant_id = ${tenantId} AND p.model = 'Session' AND p.user_id IN (SELECT user_id FROM target)),
    authorisations AS (
      SELECT s.id, s.user_id, s.live, e.key AS client_id, e.value ->> 'sid' AS sid,
        EXISTS (SELECT 1 FROM target t WHERE t.user_id = s.user_id AND (t.client_id IS NULL OR t.client_id = e.key)) AS cut
      FROM sessions s
      CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(s.payload -> 'authorizations') = 'object' THEN s.payload -> 'authorizations' ELSE '{}'::jsonb END) AS e),
    per_session AS (
      SELECT s.id,
        EXISTS (SELECT 1 FROM target t WHERE t.user_id = s.user_id AND t.client_id IS NULL) AS every,
        coalesce(array_agg(a.client_id) FILTER (WHERE a.cut), '{}'::text[]) AS removed,
        count(a.client_id) FILTER (WHERE NOT a.cut) AS kept
      FROM sessions s LEFT JOIN authorisations a ON a.id = s.id
      GROUP BY s.id, s.user_id),
    ended_sessions AS (
      DELETE FROM oidc_payloads p USING per_session ps
      WHERE p.tenant_id = ${tenantId} AND p.model = 'Session' AND p.id = ps.id AND (ps.every OR (cardinality(ps.removed) > 0 AND ps.kept = 0))
      RETURNING p.id),
    trimmed_sessions AS (
      UPDATE oidc_payloads p SET payload = jsonb_set(p.payload, '{authorizations}', (p.payload -> 'authorizations') - ps.removed)
      FROM per_session ps
      WHERE p.tenant_id = ${tenantId} AND p.model = 'Session' AND p.id = ps.id AND NOT ps.every AND cardinality(ps.removed) > 0 AND ps.kept > 0
      RETURNING p.id),
    apps AS (
      SELECT a.id, a.oidc_client_id::text AS client_id, a.backchannel_logout_uri IS NOT NULL AS back_channel
      FROM applications a WHERE a.tenant_id = ${tenantId} AND a.oidc_client_id IS NOT NULL),
    cut_pairs AS (
      SELECT user_id, client_id FROM token_counts
      UNION SELECT user_id, client_id FROM authorisations WHERE cut),
    logouts AS (
      -- An application hears of the sessions it had that had not yet expired (an expired one ended for it already).
      SELECT DISTINCT a.user_id, a.client_id, a.sid FROM authorisations a JOIN apps ON apps.client_id = a.client_id AND apps.back_channel
      WHERE a.cut AND a.live AND a.sid IS NOT NULL),
    lines AS (
      SELECT c.user_id, apps.id AS application_id, l.sid,
        -- The member's tokens at the application are counted once, on its first line.
        CASE WHEN row_number() OVER (PARTITION BY c.user_id, c.client_id ORDER BY l.sid) = 1 THEN coalesce(tc.tokens, 0) ELSE 0 END AS tokens
      FROM cut_pairs c
      JOIN apps ON apps.client_id = c.client_id
      LEFT JOIN logouts l ON l.user_id = c.user_id AND l.client_id = c.client_id
      LEFT JOIN token_counts tc ON tc.user_id = c.user_id AND tc.client_id = c.client_id)
    INSERT INTO application_logout_deliveries (tenant_id, application_id, user_id, receipt_id, cause, sid, tokens_revoked, status)
    SELECT ${tenantId}, l.application_id, l.user_id, r.receipt_id, ${cause}, l.sid, l.tokens, CASE WHEN l.sid IS NULL THEN 'not_required' ELSE 'pending' END
    FROM lines l
    LEFT JOIN unnest(${receiptUsers}::bigint[], ${receiptIds}::bigint[]) AS r(user_id, receipt_id) ON r.user_id = l.user_id
    ORDER BY l.user_id, l.application_id, l.sid
    RETURNING id, application_id, user_id, status, tokens_revoked`;

  const pending = lines.filter((line) => line.status === "pending");
  await enqueueMany(
    tx,
    "application__deliver_backchannel_logout",
    pending.map((line) => ({ payload: { deliveryId: line.id.toString() } })),
    { maxAttempts: LOGOUT_DELIVERY_MAX_ATTEMPTS },
  );
  return summarise(lines);
}

function summarise(lines: { application_id: bigint; user_id: bigint; status: string; tokens_revoked: number }[]): TApplicationRevocation[] {
  const byApplication = new Map<bigint, TApplicationRevocation & { memberIds: Set<bigint> }>();
  for (const line of lines) {
    let entry = byApplication.get(line.application_id);
    if (!entry) byApplication.set(line.application_id, (entry = { applicationId: line.application_id, members: 0, tokensRevoked: 0, logoutsQueued: 0, memberIds: new Set() }));
    entry.memberIds.add(line.user_id);
    entry.tokensRevoked += line.tokens_revoked;
    if (line.status === "pending") entry.logoutsQueued += 1;
  }
  return [...byApplication.values()].map(({ memberIds, ...entry }) => ({ ...entry, members: memberIds.size }));
}
