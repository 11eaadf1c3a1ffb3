import { Prisma } from "@/server/db/generated/client";
import type { TDatabase, TTransaction } from "@/server/db/client";
import type { TFieldChange } from "@/server/audit/record-audit-event";
import { hasWebhookSubscribers, queueAuditWebhooks } from "@/server/audit/webhook-outbox";
import { previewAccessChange, recordingAccessChanges, type TAccessChanges, type TMemberAccessChange } from "@/server/access-changes/access-changes";
import type { TActor } from "@/server/shared/actor";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { revokeLostApplicationAccess } from "@/server/application-sessions/revoke-application-access";

// An action that changes effective access is written once, as
// `apply(tx)`, and used twice: by its preview (run, recorded, rolled back)
// and by the action itself (run, recorded, audited, committed). The two
// cannot drift apart: the dialog shows what the confirmed action does.

export type TAccessCause = { action: string; targetType: string; targetId: bigint };
export type TAccessTotals = { affected: number; gained: number; lost: number };
/** A catalogue item the change deleted: its name, which the per-member events can no longer look up. */
export type TRemovedItem = { kind: 1 | 2 | 3; id: bigint; name: string };

/**
 * The totals an action's own audit event carries, beside its other changes;
 * nothing when no one's access changed (the event reads as it always has).
 */
export function accessTotalsChange(changes: Pick<TAccessChanges, "affected" | "totals">): { accessChanges?: TFieldChange } {
  if (changes.affected === 0) return {};
  return { accessChanges: { before: null, after: { affected: changes.affected, gained: changes.totals.gained, lost: changes.totals.lost } satisfies TAccessTotals } };
}

/** One member's own totals (for the per-member events of a bulk action). */
export function memberAccessTotalsChange(change: TMemberAccessChange | undefined): { accessChanges?: TFieldChange } {
  return accessTotalsChange({ affected: change ? 1 : 0, totals: { gained: change?.gained.length ?? 0, lost: change?.lost.length ?? 0 } });
}

/**
 * Runs `apply` recording who gains and loses what, then lets `audit` write the
 * action's own event (it gets the changes, for their totals), then writes one
 * `member.access_changed` event per affected member: all in `tx`.
 */
export async function applyAuditingAccess<T>(
  tx: TTransaction,
  actor: TActor,
  /** What caused it, named in each member's event: known up front, or only once the change is applied. */
  cause: TAccessCause | ((result: T) => TAccessCause),
  apply: () => Promise<T>,
  audit: (result: T, changes: TAccessChanges, all: TMemberAccessChange[]) => Promise<void>,
  /**
   * `all`: every member's changes for `audit` (a bulk transfer's per-member totals); otherwise only the totals and the first members.
   */
  options: { all?: boolean; removed?: TRemovedItem } = {},
): Promise<{ result: T; changes: TAccessChanges }> {
  // The net changes stay in tenure_access_span and tenure_access_pairs (recordingAccessChanges) for the per-member events below.
  const { result, changes, all } = await recordingAccessChanges(tx, apply, undefined, options);
  // Whoever lost an application here (inherited holdings too: a department move that drops it) is signed out of it.
  if (changes.totals.lost > 0) await revokeLostApplicationAccess(tx, actor.tenantId);
  await audit(result, changes, all);
  const named = typeof cause === "function" ? cause(result) : cause;
  await auditKeptChanges(tx, actor, { action: named.action, targetType: named.targetType, targetId: named.targetId.toString() }, options.removed);
  return { result, changes };
}

// Moving a department of 50,000 members changes hundreds of thousands of
// items: the per-member events are written by one statement from the net
// changes recordingAccessChanges left in tenure_access_span/pairs, instead of sending
// 50,000 JSON documents from here.

/**
 * One `member.access_changed` event per affected member, items named and ordered as
 * recordingAccessChanges orders them; tests/integration/access-previews.test.ts
 * compares them with the preview.
 */
async function auditKeptChanges(tx: TTransaction, actor: TActor, cause: { action: string; targetType: string; targetId: string }, removed?: TRemovedItem) {
  // Webhooks (access.granted / access.revoked) need the new events' ids: asked for only when someone subscribes.
  const webhooks = await hasWebhookSubscribers(tx, actor.tenantId, "member.access_changed");
  const removedName = Prisma.sql`CASE WHEN k.kind = ${removed?.kind ?? 0}::smallint AND k.item_id = ${removed?.id ?? 0n} THEN ${removed?.name ?? null}::text END`;
  // Each pair of profiles' items are named and ordered once; every member who made that move gets them.
  const inserted = await tx.$queryRaw<{ id: bigint }[]>`
    WITH named AS (
      SELECT k.old_profile, k.new_profile, k.kind, k.net, coalesce(r.name, a.name, p.permission, ${removedName}, '(removed)') AS name,
             jsonb_build_object('kind', CASE k.kind WHEN 1 THEN 'role' WHEN 2 THEN 'application' ELSE 'permission' END,
                                'id', k.item_id::text, 'name', coalesce(r.name, a.name, p.permission, ${removedName}, '(removed)')) AS item
      FROM tenure_access_pairs k
      LEFT JOIN roles r ON k.kind = 1 AND r.id = k.item_id
      LEFT JOIN applications a ON k.kind = 2 AND a.id = k.item_id
      LEFT JOIN policies p ON k.kind = 3 AND p.id = k.item_id
    ), pair AS (
      SELECT old_profile, new_profile,
             jsonb_build_object(
               'before', coalesce(jsonb_agg(item ORDER BY kind, name) FILTER (WHERE net < 0), '[]'::jsonb),
               'after', coalesce(jsonb_agg(item ORDER BY kind, name) FILTER (WHERE net > 0), '[]'::jsonb)) AS access
      FROM named GROUP BY old_profile, new_profile
    )
    INSERT INTO audit_events (tenant_id, actor_id, actor_directory_id, actor_token_id, action, target_type, target_id, changes, ip_address, user_agent)
    SELECT ${actor.tenantId}, ${actor.memberId}, ${actor.directoryId ?? null}::bigint, ${actor.apiTokenId ?? null}::bigint, 'member.access_changed', 'member', s.user_id,
           jsonb_build_object('access', pair.access, 'cause', jsonb_build_object('before', NULL, 'after', ${JSON.stringify(cause)}::jsonb)),
           ${actor.ipAddress?.slice(0, 45) ?? null}, ${actor.userAgent?.slice(0, 512) ?? null}
    FROM tenure_access_span s
    JOIN pair ON coalesce(pair.old_profile, 0) = coalesce(s.old_profile, 0) AND coalesce(pair.new_profile, 0) = coalesce(s.new_profile, 0)
    ORDER BY s.user_id
    ${webhooks ? Prisma.sql`RETURNING id` : Prisma.empty}`;
  if (webhooks) await queueAuditWebhooks(tx, actor.tenantId, "member.access_changed", inserted.map((row) => row.id));
}

/**
 * Runs `work` (a change of effective access with no audit of its own here)
 * recording who loses what, then signs those who lost an application out of
 * it: for changes made outside applyAuditingAccess (revoking one grant, a
 * directory's group memberships).
 */
export async function signingOutOfLostApplications<T>(tx: TTransaction, tenantId: bigint, work: () => Promise<T>): Promise<T> {
  const { result, changes } = await recordingAccessChanges(tx, work, 0);
  if (changes.totals.lost > 0) await revokeLostApplicationAccess(tx, tenantId);
  return result;
}

/** Inside `audit`: the owners who lose anything in this change (read where the changes are kept: a subtree's members never travel here). */
export async function ownersWhoLoseAccess(tx: TTransaction): Promise<bigint[]> {
  const rows = await tx.$queryRaw<{ user_id: bigint }[]>`
    SELECT s.user_id FROM tenure_access_span s JOIN users u ON u.id = s.user_id
    WHERE u.sys_admin >= ${SYSTEM_ROLE.owner}
      AND EXISTS (SELECT 1 FROM tenure_access_pairs k
                  WHERE k.net < 0 AND coalesce(k.old_profile, 0) = coalesce(s.old_profile, 0) AND coalesce(k.new_profile, 0) = coalesce(s.new_profile, 0))
    ORDER BY s.user_id`;
  return rows.map((row) => row.user_id);
}

/** What `apply` would change, for the confirmation dialog; nothing is kept. */
export async function previewOf<T>(db: TDatabase, apply: (tx: TTransaction) => Promise<T>, options: { refreshesOnce?: boolean } = {}): Promise<TAccessChanges> {
  return (await previewAccessChange(db, apply, options)).changes;
}
