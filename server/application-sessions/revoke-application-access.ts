import { Prisma } from "@/server/db/generated/client";
import type { TTransaction } from "@/server/db/client";
import { enqueueMany } from "@/server/queue/enqueue";
import { MAX_LOGOUTS_PER_JOB } from "@/server/queue/payloads";

// Issue 14, item 4: the lifecycle reaches the applications. Revoking a
// member's access to an application (the contract of issue 14) deletes their
// access and refresh tokens, codes and grants for its client in oidc-provider's
// storage (access tokens are opaque: a deleted row is a refused token), takes
// the client out of their provider sessions, and queues one back-channel
// logout token per session the application had (in jobs of up to
// MAX_LOGOUTS_PER_JOB rows of one application). All in the caller's
// transaction, in a few set-based statements whatever the number of members,
// so a bulk disable of 10,000 members costs the same round trips as one.

export const LOGOUT_CAUSES = [
  "lock",
  "disable",
  "resign",
  "archive",
  "delete",
  "application_revoked",
  "not_me",
  "password_reset",
  "sessions_revoked",
  "member_signed_out",
] as const;
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
 * application. The steps go through small temporary tables, analysed as they
 * fill: the planner then joins 50,000 lines of a bulk action by hashing, and
 * one member's by index, where estimates for a single statement's CTEs had it
 * loop over every pair.
 */
async function revokeTargets(tx: TTransaction, tenantId: bigint, target: Prisma.Sql, cause: TLogoutCause, receiptIdByUser: Map<bigint, bigint>): Promise<TApplicationRevocation[]> {
  // Most changes touch members signed in to no application: one indexed look, and nothing more.
  const [signedIn] = await tx.$queryRaw<{ any: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM (${target}) t WHERE EXISTS (SELECT 1 FROM oidc_payloads p WHERE p.user_id = t.user_id AND p.tenant_id = ${tenantId})) AS any`;
  if (!signedIn?.any) return [];
  await tx.$executeRawUnsafe(
    "CREATE TEMP TABLE IF NOT EXISTS tenure_revocation_target (user_id bigint NOT NULL, client_id text) ON COMMIT DROP",
  );
  await tx.$executeRawUnsafe(
    "CREATE TEMP TABLE IF NOT EXISTS tenure_revoked_tokens (user_id bigint NOT NULL, client_id text NOT NULL, tokens int NOT NULL) ON COMMIT DROP",
  );
  await tx.$executeRawUnsafe(
    "CREATE TEMP TABLE IF NOT EXISTS tenure_revoked_authorisations (session_id text NOT NULL, user_id bigint NOT NULL, client_id text NOT NULL, sid text, live boolean NOT NULL, cut boolean NOT NULL, all_cut boolean NOT NULL) ON COMMIT DROP",
  );
  await tx.$executeRawUnsafe("TRUNCATE tenure_revocation_target, tenure_revoked_tokens, tenure_revoked_authorisations");
  const targets = await tx.$executeRaw`INSERT INTO tenure_revocation_target (user_id, client_id) SELECT DISTINCT user_id, client_id FROM (${target}) t`;
  if (targets === 0) return [];
  await tx.$executeRawUnsafe("ANALYZE tenure_revocation_target");

  // What the member could use at the application: gone, and counted.
  await tx.$executeRaw`
    WITH credentials AS (
      DELETE FROM oidc_payloads p USING tenure_revocation_target t
      WHERE p.tenant_id = ${tenantId} AND p.user_id = t.user_id AND (t.client_id IS NULL OR p.client_id = t.client_id)
        AND p.model = ANY(${CREDENTIAL_MODELS}::text[])
      RETURNING p.user_id, p.client_id, p.model)
    INSERT INTO tenure_revoked_tokens (user_id, client_id, tokens)
    SELECT user_id, client_id, (count(*) FILTER (WHERE model <> 'Grant'))::int FROM credentials WHERE client_id IS NOT NULL GROUP BY user_id, client_id`;

  // Each provider session's applications, and whether this revocation cuts them.
  await tx.$executeRaw`
    INSERT INTO tenure_revoked_authorisations (session_id, user_id, client_id, sid, live, cut, all_cut)
    SELECT p.id, p.user_id, e.key, e.value ->> 'sid', (p.expires_at IS NULL OR p.expires_at > now()),
      (everything.user_id IS NOT NULL OR chosen.user_id IS NOT NULL), everything.user_id IS NOT NULL
    FROM oidc_payloads p
    LEFT JOIN (SELECT DISTINCT user_id FROM tenure_revocation_target WHERE client_id IS NULL) everything ON everything.user_id = p.user_id
    CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(p.payload -> 'authorizations') = 'object' THEN p.payload -> 'authorizations' ELSE '{}'::jsonb END) AS e
    LEFT JOIN tenure_revocation_target chosen ON chosen.user_id = p.user_id AND chosen.client_id = e.key
    WHERE p.tenant_id = ${tenantId} AND p.model = 'Session' AND p.user_id IN (SELECT user_id FROM tenure_revocation_target)`;
  await tx.$executeRawUnsafe("ANALYZE tenure_revoked_tokens, tenure_revoked_authorisations");

  // A session ends when every application is cut (or it has none left); otherwise it loses the cut ones.
  await tx.$executeRaw`
    WITH per_session AS (
      SELECT session_id, bool_or(all_cut) AS all_cut, array_agg(client_id) FILTER (WHERE cut) AS removed, count(*) FILTER (WHERE NOT cut) AS kept
      FROM tenure_revoked_authorisations GROUP BY session_id),
    ended AS (
      DELETE FROM oidc_payloads p USING per_session ps
      WHERE p.tenant_id = ${tenantId} AND p.model = 'Session' AND p.id = ps.session_id AND ps.removed IS NOT NULL AND (ps.all_cut OR ps.kept = 0)
      RETURNING p.id)
    UPDATE oidc_payloads p SET payload = jsonb_set(p.payload, '{authorizations}', (p.payload -> 'authorizations') - ps.removed)
    FROM per_session ps
    WHERE p.tenant_id = ${tenantId} AND p.model = 'Session' AND p.id = ps.session_id AND ps.removed IS NOT NULL AND NOT ps.all_cut AND ps.kept > 0`;
  // Every application cut: sessions without any application end too.
  await tx.$executeRaw`
    DELETE FROM oidc_payloads p USING (SELECT DISTINCT user_id FROM tenure_revocation_target WHERE client_id IS NULL) everything
    WHERE p.tenant_id = ${tenantId} AND p.model = 'Session' AND p.user_id = everything.user_id`;

  const receiptUsers = [...receiptIdByUser.keys()];
  const receiptIds = receiptUsers.map((userId) => receiptIdByUser.get(userId)!);
  // 50,000 lines of a bulk action stay in the database: what comes back is a row per application, with its pending
  // lines already cut into jobs (of one application each, at most MAX_LOGOUTS_PER_JOB: an application that is down
  // or slow holds up and retries only its own jobs).
  const byApplication = await tx.$queryRaw<{ application_id: bigint; members: number; tokens_revoked: number; logouts_queued: number; batches: string[][] }[]>`
    WITH apps AS (
      SELECT a.id, a.oidc_client_id::text AS client_id, a.backchannel_logout_uri IS NOT NULL AS back_channel
      FROM applications a WHERE a.tenant_id = ${tenantId} AND a.oidc_client_id IS NOT NULL),
    cut_pairs AS (
      SELECT user_id, client_id FROM tenure_revoked_tokens
      UNION SELECT user_id, client_id FROM tenure_revoked_authorisations WHERE cut),
    logouts AS (
      -- An application hears of the sessions it had that had not yet expired (an expired one ended for it already).
      SELECT DISTINCT r.user_id, r.client_id, r.sid FROM tenure_revoked_authorisations r JOIN apps ON apps.client_id = r.client_id AND apps.back_channel
      WHERE r.cut AND r.live AND r.sid IS NOT NULL),
    lines AS (
      SELECT c.user_id, apps.id AS application_id, l.sid,
        -- The member's tokens at the application are counted once, on its first line.
        CASE WHEN row_number() OVER (PARTITION BY c.user_id, c.client_id ORDER BY l.sid) = 1 THEN coalesce(tc.tokens, 0) ELSE 0 END AS tokens
      FROM cut_pairs c
      JOIN apps ON apps.client_id = c.client_id
      LEFT JOIN logouts l ON l.user_id = c.user_id AND l.client_id = c.client_id
      LEFT JOIN tenure_revoked_tokens tc ON tc.user_id = c.user_id AND tc.client_id = c.client_id),
    inserted AS (
      INSERT INTO application_logout_deliveries (tenant_id, application_id, user_id, receipt_id, cause, sid, tokens_revoked, status)
      SELECT ${tenantId}, l.application_id, l.user_id, r.receipt_id, ${cause}, l.sid, l.tokens, CASE WHEN l.sid IS NULL THEN 'not_required' ELSE 'pending' END
      FROM lines l
      LEFT JOIN unnest(${receiptUsers}::bigint[], ${receiptIds}::bigint[]) AS r(user_id, receipt_id) ON r.user_id = l.user_id
      ORDER BY l.user_id, l.application_id, l.sid
      RETURNING id, application_id, user_id, status, tokens_revoked),
    batches AS (
      SELECT application_id, json_agg(ids ORDER BY batch) AS batches
      FROM (
        SELECT application_id, batch, array_agg(id::text ORDER BY id) AS ids
        FROM (SELECT id, application_id, (row_number() OVER (PARTITION BY application_id ORDER BY id) - 1) / ${MAX_LOGOUTS_PER_JOB} AS batch
              FROM inserted WHERE status = 'pending') numbered
        GROUP BY application_id, batch) cut
      GROUP BY application_id)
    SELECT s.application_id, s.members, s.tokens_revoked, s.logouts_queued, coalesce(b.batches, '[]'::json) AS batches
    FROM (
      SELECT application_id, count(DISTINCT user_id)::int AS members, sum(tokens_revoked)::int AS tokens_revoked,
        (count(*) FILTER (WHERE status = 'pending'))::int AS logouts_queued
      FROM inserted GROUP BY application_id) s
    LEFT JOIN batches b ON b.application_id = s.application_id
    ORDER BY s.application_id`;

  await enqueueMany(
    tx,
    "application__deliver_backchannel_logout",
    byApplication.flatMap((application) => application.batches.map((deliveryIds) => ({ payload: { deliveryIds } }))),
    { maxAttempts: LOGOUT_DELIVERY_MAX_ATTEMPTS },
  );
  return byApplication.map((application) => ({
    applicationId: application.application_id,
    members: application.members,
    tokensRevoked: application.tokens_revoked,
    logoutsQueued: application.logouts_queued,
  }));
}
