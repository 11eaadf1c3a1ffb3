import { Prisma } from "@/server/db/generated/client";
import type { TDatabase, TTransaction } from "@/server/db/client";
import { systemActor } from "@/server/lifecycle/member-authority";
import { transitionMembers } from "@/server/lifecycle/transition-members";
import { eraseMembers } from "@/server/lifecycle/hard-delete-members";

// Time rules: a pending member starts, a scheduled lock starts, a lock ends, a scheduled leave happens,
// a deleted member's grace period ends. Each has a job scheduled for its exact
// moment (one member) and a crontab sweep for any that came due while no
// worker ran; both call applyDueRule, which re-checks the rule under a row
// lock, so running either twice, late or concurrently changes nothing more.

export const TIME_RULES = ["activate", "lock", "unlock", "resign", "hard-delete"] as const;
export type TTimeRule = (typeof TIME_RULES)[number];

/** A lock scheduled and not yet carried out (alias u): a lock that happened set last_locked_at to its start (schedule-lock.ts). */
export const SCHEDULED_LOCK = Prisma.sql`u.state = 'active' AND u.lock_start_at IS NOT NULL AND (u.last_locked_at IS NULL OR u.last_locked_at < u.lock_start_at)`;

const DUE: Record<TTimeRule, Prisma.Sql> = {
  activate: Prisma.sql`u.state = 'pending' AND u.start_date <= now()`,
  lock: Prisma.sql`${SCHEDULED_LOCK} AND u.lock_start_at <= now()`,
  unlock: Prisma.sql`u.state = 'locked' AND u.lock_end_at <= now()`,
  resign: Prisma.sql`u.scheduled_leave_at <= now() AND u.state IN ('pending', 'active', 'locked', 'disabled')`,
  "hard-delete": Prisma.sql`u.state = 'deleted' AND EXISTS (SELECT 1 FROM member_recycle_bin b WHERE b.user_id = u.id AND b.hard_delete_at <= now())`,
};

/** Applies the rule to the due members (all, or one) in batches; returns how many changed. */
export async function applyDueRule(db: TDatabase, rule: TTimeRule, only?: bigint, batchSize = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const changed = await db.$transaction((tx) => applyDueBatch(tx, rule, only, batchSize), { timeout: 120_000 });
    total += changed.count;
    if (only !== undefined || changed.seen < batchSize) return total;
  }
}

async function applyDueBatch(tx: TTransaction, rule: TTimeRule, only: bigint | undefined, batchSize: number): Promise<{ count: number; seen: number }> {
  // SKIP LOCKED: a member an admin is changing right now is left to the next run.
  const due = await tx.$queryRaw<{ id: bigint; tenant_id: bigint; reason: string | null; lock_reason: string | null; lock_end_at: Date | null }[]>`
    SELECT u.id, u.tenant_id, u.scheduled_leave_reason AS reason, u.lock_reason, u.lock_end_at FROM users u
    WHERE ${DUE[rule]} ${only === undefined ? Prisma.empty : Prisma.sql`AND u.id = ${only}`}
    ORDER BY u.id LIMIT ${batchSize} FOR UPDATE OF u SKIP LOCKED`;
  let count = 0;
  for (const [tenantId, rows] of groupBy(due, (row) => row.tenant_id)) {
    const actor = systemActor(tenantId);
    const ids = rows.map((row) => row.id);
    if (rule === "hard-delete") {
      count += await eraseMembers(tx, actor, ids);
    } else if (rule === "resign") {
      // Each member keeps the reason given when the leave was scheduled.
      for (const [reason, group] of groupBy(rows, (row) => row.reason)) {
        const result = await transitionMembers(tx, actor, "resign", group.map((row) => row.id), { reason });
        count += result.changed.length;
      }
    } else if (rule === "lock") {
      // Each member is locked with the reason and end given when the lock was scheduled.
      for (const [, group] of groupBy(rows, (row) => `${row.lock_reason ?? ""}\u0000${row.lock_end_at?.getTime() ?? ""}`)) {
        const options = { reason: group[0]!.lock_reason, lockEndDate: group[0]!.lock_end_at };
        const result = await transitionMembers(tx, actor, "lock", group.map((row) => row.id), options);
        count += result.changed.length;
      }
    } else {
      const result = await transitionMembers(tx, actor, rule, ids);
      count += result.changed.length;
    }
  }
  return { count, seen: due.length };
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
