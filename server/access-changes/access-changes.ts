import type { TDatabase, TTransaction } from "@/server/db/client";

// Who gains and who loses what. The triggers that keep effective access write
// every profile move they make into a transaction-local table while a service
// records (migrations 20261204190000_access_inheritance and
// 20261205160000_access_profiles); the preview of a change and the change
// itself both read it, so the dialog shows exactly what the confirmed action does.

export const ACCESS_KIND_NAMES = { 1: "role", 2: "application", 3: "permission" } as const;
export type TEffectiveKind = (typeof ACCESS_KIND_NAMES)[keyof typeof ACCESS_KIND_NAMES];
/** The other way round: member_access.kind of each name. */
export const ACCESS_KIND_NUMBERS = { role: 1, application: 2, permission: 3 } as const satisfies Record<TEffectiveKind, 1 | 2 | 3>;

export type TAccessItem = { kind: TEffectiveKind; id: string; name: string };
export type TMemberAccessChange = { memberId: string; username: string; gained: TAccessItem[]; lost: TAccessItem[] };
export type TAccessChanges = {
  /** Members whose effective access changed. */
  affected: number;
  totals: { gained: number; lost: number };
  /** The first members in id order, each with what they gain and lose. */
  members: TMemberAccessChange[];
};

const DETAILED_MEMBERS = 50;

/**
 * Runs `work` with every effective-access change recorded; returns what
 * changed, netted per member: the totals and the first `detailed` members
 * with their items, and every member only when `all` is asked for (a move of
 * 50,000 members changes half a million items: they stay in the database).
 * Nests: an inner recording reads only its own changes and leaves the outer
 * one running.
 *
 * The triggers record profile moves (member, old profile, new profile); a
 * member's net change is the difference between the profile they had before
 * the work and the one they have after, computed once per pair of profiles
 * (tenure_access_pairs) and joined to the members (tenure_access_span). Both
 * stay until the transaction ends, for the per-member audit events.
 */
export async function recordingAccessChanges<T>(
  tx: TTransaction,
  work: () => Promise<T>,
  detailed = DETAILED_MEMBERS,
  options: { all?: boolean } = {},
): Promise<{ result: T; changes: TAccessChanges; all: TMemberAccessChange[] }> {
  const [state] = await tx.$queryRawUnsafe<{ outer: boolean }[]>("SELECT coalesce(current_setting('tenure.record_access', true) = 'on', false) AS outer");
  const outer = state?.outer ?? false;
  if (!outer) {
    await tx.$executeRawUnsafe(
      "CREATE TEMP TABLE IF NOT EXISTS tenure_profile_changes (seq bigserial, user_id bigint NOT NULL, old_profile bigint, new_profile bigint) ON COMMIT DROP",
    );
    await tx.$executeRawUnsafe("TRUNCATE tenure_profile_changes");
    await tx.$executeRawUnsafe("SELECT set_config('tenure.record_access', 'on', true)");
  }
  const [start] = await tx.$queryRawUnsafe<{ mark: bigint }[]>("SELECT coalesce(max(seq), 0) AS mark FROM tenure_profile_changes");
  const result = await work();
  if (!outer) await tx.$executeRawUnsafe("SELECT set_config('tenure.record_access', 'off', true)");
  const mark = start?.mark ?? 0n;
  await tx.$executeRawUnsafe(
    "CREATE TEMP TABLE IF NOT EXISTS tenure_access_span (user_id bigint PRIMARY KEY, old_profile bigint, new_profile bigint) ON COMMIT DROP",
  );
  await tx.$executeRawUnsafe(
    "CREATE TEMP TABLE IF NOT EXISTS tenure_access_pairs (old_profile bigint, new_profile bigint, kind smallint NOT NULL, item_id bigint NOT NULL, net integer NOT NULL) ON COMMIT DROP",
  );
  await tx.$executeRawUnsafe("TRUNCATE tenure_access_span, tenure_access_pairs");
  // Each member's profile before the work (their first move's origin) and after it (their last move's destination).
  await tx.$executeRawUnsafe(
    `INSERT INTO tenure_access_span (user_id, old_profile, new_profile)
     SELECT * FROM (
       SELECT user_id, (array_agg(old_profile ORDER BY seq))[1] AS old_profile, (array_agg(new_profile ORDER BY seq DESC))[1] AS new_profile
       FROM tenure_profile_changes WHERE seq > $1 GROUP BY user_id) s
     WHERE s.old_profile IS DISTINCT FROM s.new_profile`,
    mark,
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO tenure_access_pairs (old_profile, new_profile, kind, item_id, net)
     SELECT p.old_profile, p.new_profile, d.kind, d.item_id, d.net
     FROM (SELECT DISTINCT old_profile, new_profile FROM tenure_access_span) p
     CROSS JOIN LATERAL (
       SELECT coalesce(a.kind, b.kind) AS kind, coalesce(a.item_id, b.item_id) AS item_id, CASE WHEN a.kind IS NULL THEN -1 ELSE 1 END AS net
       FROM (SELECT kind, item_id FROM access_profile_items WHERE profile_id = p.new_profile) a
       FULL JOIN (SELECT kind, item_id FROM access_profile_items WHERE profile_id = p.old_profile) b ON a.kind = b.kind AND a.item_id = b.item_id
       WHERE a.kind IS NULL OR b.kind IS NULL) d`,
  );
  await tx.$executeRawUnsafe("ANALYZE tenure_access_span");
  // (Profiles are joined as coalesce(id, 0): no profile is "nothing held", and an equality hashes where IS NOT DISTINCT FROM cannot.)
  const [totals] = await tx.$queryRawUnsafe<{ affected: number; gained: number; lost: number }[]>(
    `SELECT count(*)::int AS affected, coalesce(sum(p.gained), 0)::int AS gained, coalesce(sum(p.lost), 0)::int AS lost
     FROM tenure_access_span s
     JOIN (SELECT old_profile, new_profile, count(*) FILTER (WHERE net > 0) AS gained, count(*) FILTER (WHERE net < 0) AS lost
           FROM tenure_access_pairs GROUP BY old_profile, new_profile) p
       ON coalesce(p.old_profile, 0) = coalesce(s.old_profile, 0) AND coalesce(p.new_profile, 0) = coalesce(s.new_profile, 0)`,
  );
  const limit = options.all ? null : detailed;
  const rows = await tx.$queryRawUnsafe<{ user_id: bigint; username: string; kind: 1 | 2 | 3; item_id: bigint; name: string; net: number }[]>(
    `
    WITH shown AS (SELECT user_id, old_profile, new_profile FROM tenure_access_span ORDER BY user_id ${limit === null ? "" : "LIMIT $1"})
    SELECT shown.user_id, u.username::text AS username, n.kind, n.item_id, n.net,
           coalesce(r.name, a.name, p.permission, '(removed)') AS name
    FROM shown
    JOIN tenure_access_pairs n ON coalesce(n.old_profile, 0) = coalesce(shown.old_profile, 0) AND coalesce(n.new_profile, 0) = coalesce(shown.new_profile, 0)
    JOIN users u ON u.id = shown.user_id
    LEFT JOIN roles r ON n.kind = 1 AND r.id = n.item_id
    LEFT JOIN applications a ON n.kind = 2 AND a.id = n.item_id
    LEFT JOIN policies p ON n.kind = 3 AND p.id = n.item_id
    ORDER BY shown.user_id, n.kind, name`,
    ...(limit === null ? [] : [limit]),
  );
  if (!outer) await tx.$executeRawUnsafe("TRUNCATE tenure_profile_changes");
  const byMember = new Map<bigint, TMemberAccessChange>();
  for (const row of rows) {
    let member = byMember.get(row.user_id);
    if (!member) byMember.set(row.user_id, (member = { memberId: row.user_id.toString(), username: row.username, gained: [], lost: [] }));
    const item = { kind: ACCESS_KIND_NAMES[row.kind], id: row.item_id.toString(), name: row.name };
    if (row.net > 0) member.gained.push(item);
    else member.lost.push(item);
  }
  const listed = [...byMember.values()];
  return {
    result,
    all: options.all ? listed : [],
    changes: { affected: totals?.affected ?? 0, totals: { gained: totals?.gained ?? 0, lost: totals?.lost ?? 0 }, members: listed.slice(0, detailed) },
  };
}

class PreviewRollback extends Error {
  constructor(readonly payload: unknown) {
    super("preview: rolled back");
  }
}

/**
 * What `apply` would change, computed by running it in a transaction that is
 * then rolled back: the preview and the action share every line of code.
 * `refreshesOnce`: the change recomputes access in one statement (a
 * department move, one grant to a department or group), so the recompute may
 * stop at recording its difference instead of writing it: the same result,
 * at half the cost for a change that reaches 50,000 members. A change made of
 * several statements (a transfer: leave, then join) must not set it, as each
 * step reads what the one before wrote.
 */
export async function previewAccessChange<T>(db: TDatabase, apply: (tx: TTransaction) => Promise<T>, options: { refreshesOnce?: boolean } = {}): Promise<{ result: T; changes: TAccessChanges }> {
  try {
    await db.$transaction(
      async (tx) => {
        const { result, changes } = await recordingAccessChanges(tx, async () => {
          if (options.refreshesOnce) await tx.$executeRawUnsafe("SELECT set_config('tenure.access_dry_run', 'on', true)");
          return apply(tx);
        });
        throw new PreviewRollback({ result, changes });
      },
      // A burst of previews on a busy database waits for a connection rather than failing after Prisma's 2 s.
      { timeout: 120_000, maxWait: 30_000 },
    );
  } catch (error) {
    if (error instanceof PreviewRollback) return error.payload as { result: T; changes: TAccessChanges };
    throw error;
  }
  throw new Error("unreachable: a preview always rolls back");
}
