import type { TDatabase, TTransaction } from "@/server/db/client";

// Who gains and who loses what. The triggers that keep member_access write
// every change they make into a transaction-local table while a service
// records (migration 20261204190000_access_inheritance); the preview of a
// change and the change itself both read it, so the dialog shows exactly what
// the confirmed action does.

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
      "CREATE TEMP TABLE IF NOT EXISTS tenure_access_changes (seq bigserial, user_id bigint NOT NULL, kind smallint NOT NULL, item_id bigint NOT NULL, change integer NOT NULL) ON COMMIT DROP",
    );
    await tx.$executeRawUnsafe("TRUNCATE tenure_access_changes");
    await tx.$executeRawUnsafe("SELECT set_config('tenure.record_access', 'on', true)");
  }
  const [start] = await tx.$queryRawUnsafe<{ mark: bigint }[]>("SELECT coalesce(max(seq), 0) AS mark FROM tenure_access_changes");
  const result = await work();
  if (!outer) await tx.$executeRawUnsafe("SELECT set_config('tenure.record_access', 'off', true)");
  const mark = start?.mark ?? 0n;
  await tx.$executeRawUnsafe(
    "CREATE TEMP TABLE IF NOT EXISTS tenure_access_net (user_id bigint NOT NULL, kind smallint NOT NULL, item_id bigint NOT NULL, net integer NOT NULL) ON COMMIT DROP",
  );
  await tx.$executeRawUnsafe("TRUNCATE tenure_access_net");
  await tx.$executeRawUnsafe(
    `INSERT INTO tenure_access_net SELECT user_id, kind, item_id, sum(change)::int FROM tenure_access_changes WHERE seq > $1
     GROUP BY user_id, kind, item_id HAVING sum(change) <> 0`,
    mark,
  );
  const [totals] = await tx.$queryRawUnsafe<{ affected: number; gained: number; lost: number }[]>(
    "SELECT count(DISTINCT user_id)::int AS affected, count(*) FILTER (WHERE net > 0)::int AS gained, count(*) FILTER (WHERE net < 0)::int AS lost FROM tenure_access_net",
  );
  const limit = options.all ? null : detailed;
  const rows = await tx.$queryRawUnsafe<{ user_id: bigint; username: string; kind: 1 | 2 | 3; item_id: bigint; name: string; net: number }[]>(
    `
    WITH shown AS (SELECT DISTINCT user_id FROM tenure_access_net ORDER BY user_id ${limit === null ? "" : "LIMIT $1"})
    SELECT n.user_id, u.username::text AS username, n.kind, n.item_id, n.net,
           coalesce(r.name, a.name, p.permission, '(removed)') AS name
    FROM tenure_access_net n
    JOIN shown ON shown.user_id = n.user_id
    JOIN users u ON u.id = n.user_id
    LEFT JOIN roles r ON n.kind = 1 AND r.id = n.item_id
    LEFT JOIN applications a ON n.kind = 2 AND a.id = n.item_id
    LEFT JOIN policies p ON n.kind = 3 AND p.id = n.item_id
    ORDER BY n.user_id, n.kind, name`,
    ...(limit === null ? [] : [limit]),
  );
  if (!outer) await tx.$executeRawUnsafe("TRUNCATE tenure_access_changes");
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
