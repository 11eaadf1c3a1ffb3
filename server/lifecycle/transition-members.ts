import { Prisma } from "@/server/db/generated/client";
import { transactionNow } from "@/server/lifecycle/transaction-now";
import type { TTransaction } from "@/server/db/client";
import { recordAuditEvents, type TChanges } from "@/server/audit/record-audit-event";
import { cancelJobs, enqueue, enqueueMany } from "@/server/queue/enqueue";
import type { TLifecycleActor } from "@/server/lifecycle/member-authority";
import { lockAndSortMembers, type TLockedMember, type TRefusal } from "@/server/lifecycle/load-members";
import { ENDS_SESSIONS, LEAVES_RECEIPT, REMOVED_RELATIONS } from "@/server/lifecycle/offboarding-plan";
import { relationsByMember, relationsOf, serialiseRelations, type TRelationsByKind } from "@/server/lifecycle/relations";
import { TRANSITIONS, type TMemberState } from "@/server/shared/member-states";
import { deletionGraceDays } from "@/server/lifecycle/lifecycle-settings";
import { memberJobKey } from "@/server/lifecycle/job-keys";
import { sendLifecycleNotices } from "@/server/lifecycle/lifecycle-notices";
import { recordingAccessChanges, type TAccessItem, type TMemberAccessChange } from "@/server/access-changes/access-changes";
import { revokeApplicationAccess } from "@/server/application-sessions/revoke-application-access";

/** Every action but restore, which returns to a remembered state (restore-members.ts). */
export type TTransitionAction = "activate" | "lock" | "unlock" | "disable" | "enable" | "resign" | "archive" | "unarchive" | "delete";

export type TTransitionOptions = {
  reason?: string | null;
  lockEndDate?: Date | null;
  /** Why the applications are told (a lock the member asked for by "This wasn't me" says so). */
  applicationLogoutCause?: "not_me";
};

export type { TRefusal };
export type TChangedMember = { memberId: bigint; username: string; before: TMemberState; after: TMemberState; receiptId: bigint | null; sessionIds: string[] };
export type TTransitionResult = { changed: TChangedMember[]; refused: TRefusal[] };

/** Any action but a lock or an unlock (which clears it itself) drops a lock that was only scheduled (schedule-lock.ts), so it cannot fire into a changed state later. */
const DROP_SCHEDULED_LOCK = Prisma.sql`, lock_start_at = CASE WHEN last_locked_at IS NULL OR last_locked_at < lock_start_at THEN NULL ELSE lock_start_at END`;

/** Columns each action sets besides the state; `now` is the transaction's time. */
function actionColumns(action: TTransitionAction, options: TTransitionOptions, now: Date): Prisma.Sql {
  return action === "lock" || action === "unlock" ? stateColumns(action, options, now) : Prisma.sql`${stateColumns(action, options, now)}${DROP_SCHEDULED_LOCK}`;
}

function stateColumns(action: TTransitionAction, options: TTransitionOptions, now: Date): Prisma.Sql {
  switch (action) {
    case "lock":
      return Prisma.sql`, lock_reason = ${options.reason ?? null}, lock_start_at = ${now}, lock_end_at = ${options.lockEndDate ?? null}, last_locked_at = ${now}, online = false, offline_at = CASE WHEN online THEN ${now} ELSE offline_at END`;
    case "unlock":
      return Prisma.sql`, lock_reason = NULL, lock_start_at = NULL, lock_end_at = NULL`;
    case "disable":
      return Prisma.sql`, disable_reason = ${options.reason ?? null}, lock_end_at = NULL, online = false, offline_at = CASE WHEN online THEN ${now} ELSE offline_at END`;
    case "enable":
      return Prisma.sql`, disable_reason = NULL`;
    case "resign":
      return Prisma.sql`, resigned_at = ${now}, resignation_reason = ${options.reason ?? null}, scheduled_leave_at = NULL, scheduled_leave_reason = NULL, lock_end_at = NULL, online = false, offline_at = CASE WHEN online THEN ${now} ELSE offline_at END`;
    case "archive":
      return Prisma.sql`, archived_at = ${now}, scheduled_leave_at = NULL, scheduled_leave_reason = NULL, lock_end_at = NULL, online = false, offline_at = CASE WHEN online THEN ${now} ELSE offline_at END`;
    case "unarchive":
      return Prisma.sql`, archived_at = NULL`;
    case "delete":
      return Prisma.sql`, deleted_at = ${now}, online = false, offline_at = CASE WHEN online THEN ${now} ELSE offline_at END, scheduled_leave_at = NULL, scheduled_leave_reason = NULL`;
    case "activate":
      return Prisma.empty;
  }
}

/**
 * Carries out one lifecycle action on many members in the caller's transaction,
 * set-based: members it does not apply to are refused with the reason, the
 * others change state, lose the relations the action removes, have their
 * sessions ended, get one audit event each, a receipt, and the jobs the action
 * schedules. A single-member action is this with one id.
 */
export async function transitionMembers(
  tx: TTransaction,
  actor: TLifecycleActor,
  action: TTransitionAction,
  memberIds: bigint[],
  options: TTransitionOptions = {},
): Promise<TTransitionResult> {
  const { movers, refused } = await lockAndSortMembers(tx, actor, action, memberIds);
  if (movers.length === 0) return { changed: [], refused };

  const ids = movers.map((member) => member.id);
  const now = await transactionNow(tx);
  const target = TRANSITIONS[action].to as TMemberState;
  const graceEndsAt = action === "delete" ? new Date(now.getTime() + (await deletionGraceDays(tx, actor.tenantId)) * 86_400_000) : null;

  // Effective access (inherited included) is recorded as it changes: the
  // receipt lists what was lost, the audit event what was lost or regained.
  const { result: removedOf, all: accessChanges } = await recordingAccessChanges(
    tx,
    async () => {
      // Relations go first: an archived member's row no longer accepts changes.
      const removed = relationsByMember(await relationsOf(tx, ids, REMOVED_RELATIONS[action] ?? [], "remove"));
      if (action === "delete") await fileInRecycleBin(tx, actor, movers, removed, now, graceEndsAt as Date);
      await tx.$executeRaw`
        UPDATE users SET state = ${target}, state_changed_at = ${now}, updated_at = ${now}, last_modified_by = ${actor.memberId}
          ${actionColumns(action, options, now)}
        WHERE id = ANY(${ids}::bigint[])`;
      if (action === "resign") await joinDepartedDepartment(tx, actor.tenantId, ids);
      return removed;
    },
    0,
    { all: true },
  );
  const accessOf = accessChangesByMember(accessChanges);

  const sessionIds = ENDS_SESSIONS.has(action) ? await endSessions(tx, ids, now) : new Map<bigint, string[]>();
  const receiptIds = LEAVES_RECEIPT.has(action) ? await writeReceipts(tx, actor, action, ids, removedOf, accessOf, sessionIds, now) : new Map<bigint, bigint>();
  if (ENDS_SESSIONS.has(action)) {
    // Signed out of Tenure means signed out of every application: tokens revoked now, logout tokens queued; the receipt lists them.
    await revokeApplicationAccess(tx, {
      tenantId: actor.tenantId,
      userIds: ids,
      applicationIds: "all",
      cause: options.applicationLogoutCause ?? (action as "lock" | "disable" | "resign" | "archive" | "delete"),
      receiptIdByUser: receiptIds,
    });
  }

  await recordAuditEvents(tx, actor, {
    action: `member.${action === "delete" ? "deleted" : action}`,
    targetType: "member",
    targets: movers.map((member) => ({ targetId: member.id, changes: auditChanges(action, member, target, options, removedOf, accessOf(member.id), sessionIds, graceEndsAt) })),
  });
  await scheduleJobs(tx, action, movers, options, graceEndsAt, receiptIds);
  await sendLifecycleNotices(tx, actor.tenantId, action, movers, options);

  return {
    refused,
    changed: movers.map((member) => ({
      memberId: member.id,
      username: member.username,
      before: member.state,
      after: target,
      receiptId: receiptIds.get(member.id) ?? null,
      sessionIds: sessionIds.get(member.id) ?? [],
    })),
  };
}

const NO_ACCESS_CHANGE = { gained: [] as TAccessItem[], lost: [] as TAccessItem[] };

function accessChangesByMember(changes: TMemberAccessChange[]): (memberId: bigint) => { gained: TAccessItem[]; lost: TAccessItem[] } {
  const byMember = new Map(changes.map((change) => [change.memberId, change]));
  return (memberId) => byMember.get(memberId.toString()) ?? NO_ACCESS_CHANGE;
}

const describeItems = (items: TAccessItem[]) => items.map((item) => `${item.kind} ${item.name}`);

function auditChanges(
  action: TTransitionAction,
  member: TLockedMember,
  target: TMemberState,
  options: TTransitionOptions,
  removedOf: (memberId: bigint) => TRelationsByKind,
  access: { gained: TAccessItem[]; lost: TAccessItem[] },
  sessionIds: Map<bigint, string[]>,
  graceEndsAt: Date | null,
): TChanges {
  const changes: TChanges = { state: { before: member.state, after: target } };
  if (options.reason) changes.reason = { before: null, after: options.reason };
  if (action === "lock") changes.lockEndDate = { before: member.lockEndAt, after: options.lockEndDate ?? null };
  if (graceEndsAt) changes.hardDeleteAt = { before: null, after: graceEndsAt };
  const revoked = serialiseRelations(removedOf(member.id));
  for (const [kind, items] of Object.entries(revoked)) {
    if (items.length > 0) changes[kind] = { before: items.map((item) => item.name), after: [] };
  }
  // Enable, unlock, activate: what comes back is named, never silent.
  if (access.gained.length + access.lost.length > 0) changes.effectiveAccess = { before: describeItems(access.lost), after: describeItems(access.gained) };
  const ended = sessionIds.get(member.id)?.length ?? 0;
  if (ended > 0) changes.sessionsEnded = { before: ended, after: 0 };
  return changes;
}

/** Ends every open session of the members now; their next request is refused. */
async function endSessions(tx: TTransaction, memberIds: bigint[], now: Date): Promise<Map<bigint, string[]>> {
  const rows = await tx.$queryRaw<{ user_id: bigint; id: string }[]>`
    UPDATE sessions SET revoked_at = ${now}, revoked_reason = 'account_blocked'
    WHERE user_id = ANY(${memberIds}::bigint[]) AND revoked_at IS NULL AND expires_at > ${now}
    RETURNING user_id, id::text`;
  const byMember = new Map<bigint, string[]>();
  for (const row of rows) {
    const own = byMember.get(row.user_id);
    if (own) own.push(row.id);
    else byMember.set(row.user_id, [row.id]);
  }
  return byMember;
}

async function writeReceipts(
  tx: TTransaction,
  actor: TLifecycleActor,
  action: TTransitionAction,
  memberIds: bigint[],
  removedOf: (memberId: bigint) => TRelationsByKind,
  accessOf: (memberId: bigint) => { gained: TAccessItem[]; lost: TAccessItem[] },
  sessionIds: Map<bigint, string[]>,
  now: Date,
): Promise<Map<bigint, bigint>> {
  // Besides the relations removed, every effective role, app and permission the member lost, inherited ones included.
  const revoked = memberIds.map((id) => JSON.stringify({ ...serialiseRelations(removedOf(id)), effectiveAccess: accessOf(id).lost }));
  const sessions = memberIds.map((id) => sessionIds.get(id)?.length ?? 0);
  const rows = await tx.$queryRaw<{ id: bigint; user_id: bigint }[]>`
    INSERT INTO lifecycle_receipts (tenant_id, user_id, action, actor_id, actor_directory_id, actor_token_id, committed_at, revoked, sessions_ended)
    SELECT ${actor.tenantId}, r.user_id, ${action}, ${actor.memberId}, ${actor.directoryId ?? null}::bigint, ${actor.apiTokenId ?? null}::bigint, ${now}, r.revoked::jsonb, r.sessions
    FROM unnest(${memberIds}::bigint[], ${revoked}::text[], ${sessions}::int[]) AS r(user_id, revoked, sessions)
    RETURNING id, user_id`;
  return new Map(rows.map((row) => [row.user_id, row.id]));
}

/** Resigned members leave every department (removed above) and join the tenant's Departed one, as their main. */
async function joinDepartedDepartment(tx: TTransaction, tenantId: bigint, memberIds: bigint[]): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO department_members (department_id, user_id)
    SELECT d.id, m.id FROM departments d CROSS JOIN unnest(${memberIds}::bigint[]) AS m(id)
    WHERE d.tenant_id = ${tenantId} AND d.kind = 'departed'
    ON CONFLICT DO NOTHING`;
  await tx.$executeRaw`
    UPDATE users u SET main_department_id = d.id
    FROM departments d WHERE d.tenant_id = ${tenantId} AND d.kind = 'departed' AND u.id = ANY(${memberIds}::bigint[])`;
}

/** The recycle bin remembers each member's relations and the state to return to. */
async function fileInRecycleBin(
  tx: TTransaction,
  actor: TLifecycleActor,
  members: TLockedMember[],
  removedOf: (memberId: bigint) => TRelationsByKind,
  now: Date,
  hardDeleteAt: Date,
): Promise<void> {
  const ids = members.map((member) => member.id);
  const states = members.map((member) => member.state);
  const relations = members.map((member) => JSON.stringify(serialiseRelations(removedOf(member.id))));
  await tx.$executeRaw`
    INSERT INTO member_recycle_bin (user_id, tenant_id, state_before, relations, deleted_by, deleted_at, hard_delete_at)
    SELECT b.user_id, ${actor.tenantId}, b.state_before, b.relations::jsonb, ${actor.memberId}, ${now}, ${hardDeleteAt}
    FROM unnest(${ids}::bigint[], ${states}::text[], ${relations}::text[]) AS b(user_id, state_before, relations)`;
}

async function scheduleJobs(
  tx: TTransaction,
  action: TTransitionAction,
  members: TLockedMember[],
  options: TTransitionOptions,
  graceEndsAt: Date | null,
  receiptIds: Map<bigint, bigint>,
): Promise<void> {
  const ids = members.map((member) => member.id);
  if (action === "lock" && options.lockEndDate) {
    const runAt = options.lockEndDate;
    await enqueueMany(tx, "member__unlock", ids.map((id) => ({ payload: { memberId: id.toString() }, runAt, jobKey: memberJobKey("unlock", id) })));
  }
  // A time rule that no longer applies is cancelled, not left to fire into a changed state.
  if (action !== "lock" && action !== "activate") await cancelJobs(tx, ids.map((id) => memberJobKey("unlock", id)));
  if (action !== "activate" && action !== "lock" && action !== "unlock") await cancelJobs(tx, ids.map((id) => memberJobKey("activate", id)));
  if (action === "resign" || action === "archive" || action === "delete") await cancelJobs(tx, ids.map((id) => memberJobKey("resign", id)));
  if (action !== "lock") await cancelJobs(tx, ids.map((id) => memberJobKey("lock", id)));
  if (action === "delete" && graceEndsAt) {
    await enqueueMany(tx, "member__hard_delete", ids.map((id) => ({ payload: { memberId: id.toString() }, runAt: graceEndsAt, jobKey: memberJobKey("hard-delete", id) })));
  }
  if (ENDS_SESSIONS.has(action)) {
    // Backstop and proof: re-checks every session of these members and completes the receipts.
    for (let start = 0; start < ids.length; start += 10_000) {
      const chunk = ids.slice(start, start + 10_000);
      await enqueue(tx, "member__revoke_sessions", {
        memberIds: chunk.map(String),
        receiptIds: chunk.flatMap((id) => (receiptIds.has(id) ? [String(receiptIds.get(id))] : [])),
      });
    }
  }
}
