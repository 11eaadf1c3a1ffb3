import type { TTransaction } from "@/server/db/client";
import { transactionNow } from "@/server/lifecycle/transaction-now";
import { recordAuditEvents, type TChanges } from "@/server/audit/record-audit-event";
import { recordingAccessChanges } from "@/server/access-changes/access-changes";
import { cancelJobs, enqueueMany } from "@/server/queue/enqueue";
import type { TLifecycleActor } from "@/server/lifecycle/member-authority";
import { lockAndSortMembers, type TLockedMember } from "@/server/lifecycle/load-members";
import { memberJobKey } from "@/server/lifecycle/job-keys";
import { RELATION_KINDS, RELATION_TABLES, type TRelationKind } from "@/server/lifecycle/relations";
import type { TMemberState } from "@/server/shared/member-states";
import type { TChangedMember, TTransitionResult } from "@/server/lifecycle/transition-members";

type TBinEntry = { user_id: bigint; state_before: TMemberState; relations: Record<TRelationKind, { id: string; name: string; isHead?: boolean; isMain?: boolean }[]> };

/**
 * Takes members out of the recycle bin within the grace period: back to the
 * state they had, with every relationship they had that still exists (an app
 * or role deleted meanwhile is reported, not invented).
 */
export async function restoreMembers(tx: TTransaction, actor: TLifecycleActor, memberIds: bigint[]): Promise<TTransitionResult & { skipped: Map<bigint, string[]> }> {
  const { movers, refused } = await lockAndSortMembers(tx, actor, "restore", memberIds);
  const skipped = new Map<bigint, string[]>();
  if (movers.length === 0) return { changed: [], refused, skipped };
  const ids = movers.map((member) => member.id);
  const now = await transactionNow(tx);

  const entries = await tx.$queryRaw<TBinEntry[]>`
    DELETE FROM member_recycle_bin WHERE user_id = ANY(${ids}::bigint[]) RETURNING user_id, state_before, relations`;
  const entryOf = new Map(entries.map((entry) => [entry.user_id, entry]));

  // A time rule that passed while the member was in the bin has taken effect.
  const targetOf = (member: TLockedMember): TMemberState => {
    const before = entryOf.get(member.id)?.state_before ?? "disabled";
    if (before === "locked" && member.lockEndAt && member.lockEndAt <= now) return "active";
    if (before === "pending" && member.startDate && member.startDate <= now) return "active";
    return before;
  };
  const targets = movers.map(targetOf);
  // What comes back is recorded, inherited access included: restore never silently brings back more than before.
  const { result: names, all: accessChanges } = await recordingAccessChanges(
    tx,
    async () => {
      await tx.$executeRaw`
        UPDATE users u SET state = t.state, deleted_at = NULL, state_changed_at = ${now}, updated_at = ${now}, last_modified_by = ${actor.memberId},
          lock_reason = CASE WHEN t.state = 'locked' THEN u.lock_reason END,
          lock_start_at = CASE WHEN t.state = 'locked' THEN u.lock_start_at END,
          lock_end_at = CASE WHEN t.state = 'locked' THEN u.lock_end_at END
        FROM unnest(${ids}::bigint[], ${targets}::text[]) AS t(id, state)
        WHERE u.id = t.id`;

      const restoredNames = new Map<bigint, Record<string, string[]>>();
      const note = (memberId: bigint, kind: string, name: string, into: Map<bigint, Record<string, string[]>>) => {
        const record = into.get(memberId) ?? {};
        record[kind] = [...(record[kind] ?? []), name];
        into.set(memberId, record);
      };
      const skippedNames = new Map<bigint, Record<string, string[]>>();

      for (const kind of RELATION_KINDS) {
        const memberColumn: bigint[] = [];
        const itemColumn: bigint[] = [];
        const headColumn: boolean[] = [];
        for (const entry of entries) {
          for (const item of entry.relations[kind] ?? []) {
            memberColumn.push(entry.user_id);
            itemColumn.push(BigInt(item.id));
            headColumn.push(item.isHead ?? false);
          }
        }
        if (memberColumn.length === 0) continue;
        const inserted =
          kind === "departments"
            ? await tx.$queryRaw<{ user_id: bigint; item_id: bigint }[]>`
                INSERT INTO department_members (department_id, user_id, is_head)
                SELECT r.item_id, r.user_id, r.is_head
                FROM unnest(${memberColumn}::bigint[], ${itemColumn}::bigint[], ${headColumn}::boolean[]) AS r(user_id, item_id, is_head)
                JOIN departments d ON d.id = r.item_id AND d.tenant_id = ${actor.tenantId}
                ON CONFLICT DO NOTHING
                RETURNING user_id, department_id AS item_id`
            : await restoreGrants(tx, kind, actor, memberColumn, itemColumn);
        const back = new Set(inserted.map((row) => `${row.user_id}:${row.item_id}`));
        for (const entry of entries) {
          for (const item of entry.relations[kind] ?? []) {
            note(entry.user_id, kind, item.name, back.has(`${entry.user_id}:${item.id}`) ? restoredNames : skippedNames);
          }
        }
      }
      // The main department comes back when it still exists.
      const mainIds = entries.flatMap((entry) => {
        const main = entry.relations.departments?.find((department) => department.isMain);
        return main ? [{ memberId: entry.user_id, departmentId: BigInt(main.id) }] : [];
      });
      if (mainIds.length > 0) {
        await tx.$executeRaw`
          UPDATE users u SET main_department_id = m.department_id
          FROM unnest(${mainIds.map((m) => m.memberId)}::bigint[], ${mainIds.map((m) => m.departmentId)}::bigint[]) AS m(user_id, department_id)
          WHERE u.id = m.user_id AND EXISTS (SELECT 1 FROM department_members dm WHERE dm.user_id = m.user_id AND dm.department_id = m.department_id)`;
      }

      return { restoredNames, skippedNames };
    },
    0,
    { all: true },
  );
  const { restoredNames, skippedNames } = names;
  const regained = new Map(accessChanges.map((change) => [change.memberId, change.gained]));

  await cancelJobs(tx, ids.map((id) => memberJobKey("hard-delete", id)));
  const stillLocked = movers.filter((member, index) => targets[index] === "locked" && member.lockEndAt);
  await enqueueMany(tx, "member__unlock", stillLocked.map((member) => ({ payload: { memberId: member.id.toString() }, runAt: member.lockEndAt as Date, jobKey: memberJobKey("unlock", member.id) })));
  const stillPending = movers.filter((member, index) => targets[index] === "pending" && member.startDate);
  await enqueueMany(tx, "member__activate", stillPending.map((member) => ({ payload: { memberId: member.id.toString() }, runAt: member.startDate as Date, jobKey: memberJobKey("activate", member.id) })));

  await recordAuditEvents(tx, actor, {
    action: "member.restored",
    targetType: "member",
    targets: movers.map((member, index) => {
      const changes: TChanges = { state: { before: "deleted", after: targets[index] } };
      for (const [kind, names] of Object.entries(restoredNames.get(member.id) ?? {})) changes[kind] = { before: [], after: names };
      const gone = Object.entries(skippedNames.get(member.id) ?? {}).flatMap(([kind, names]) => names.map((name) => `${kind}: ${name}`));
      if (gone.length > 0) changes.notRestored = { before: gone, after: [] };
      const back = regained.get(member.id.toString()) ?? [];
      if (back.length > 0) changes.effectiveAccess = { before: [], after: back.map((item) => `${item.kind} ${item.name}`) };
      return { targetId: member.id, changes };
    }),
  });
  for (const member of movers) {
    const gone = Object.entries(skippedNames.get(member.id) ?? {}).flatMap(([kind, names]) => names.map((name) => `${kind}: ${name}`));
    if (gone.length > 0) skipped.set(member.id, gone);
  }
  const changed: TChangedMember[] = movers.map((member, index) => ({
    memberId: member.id,
    username: member.username,
    before: "deleted",
    after: targets[index] as TMemberState,
    receiptId: null,
    sessionIds: [],
  }));
  return { changed, refused, skipped };
}

/** Grants back (app, policy, role, group) that still exist in the tenant's catalogue; returns what came back. */
function restoreGrants(tx: TTransaction, kind: Exclude<TRelationKind, "departments">, actor: TLifecycleActor, memberIds: bigint[], itemIds: bigint[]) {
  const { table, key, catalogue } = RELATION_TABLES[kind];
  return tx.$queryRaw<{ user_id: bigint; item_id: bigint }[]>`
    INSERT INTO ${table} (user_id, ${key}, granted_by)
    SELECT r.user_id, r.item_id, ${actor.memberId}
    FROM unnest(${memberIds}::bigint[], ${itemIds}::bigint[]) AS r(user_id, item_id)
    JOIN ${catalogue} c ON c.id = r.item_id AND c.tenant_id = ${actor.tenantId}
    ON CONFLICT DO NOTHING
    RETURNING user_id, ${key} AS item_id`;
}
