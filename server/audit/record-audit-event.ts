import { Prisma } from "@/server/db/generated/client";
import type { TDatabase, TDatabaseOrTransaction, TTransaction } from "@/server/db/client";
import { takesBinaryArrays, type TSqlTransaction } from "@/server/db/sql-transaction";
import type { TActor } from "@/server/shared/actor";
import type { TAuditAction } from "@/server/audit/audit-actions";
import { needsAlertJob } from "@/server/audit/alertable-actions";
import { jsonbArray } from "@/server/db/binary-arrays";
import { enqueue } from "@/server/queue/enqueue";
import { MAX_ALERT_EVENT_IDS } from "@/server/queue/payloads";
import { webhookRulesOf } from "@/server/audit/webhook-event-types";
import { queueAuditWebhooks } from "@/server/audit/webhook-outbox";

export type TFieldChange = { before: unknown; after: unknown };
export type TChanges = Record<string, TFieldChange>;

/**
 * An alertable event's job, and the webhook messages of a subscribed type,
 * are written with the event, atomically: inside the caller's transaction, or
 * (a caller that passed the client) in one of its own.
 */
function atomically<T>(db: TDatabaseOrTransaction, work: (tx: TTransaction) => Promise<T>): Promise<T>;
/** Work in raw SQL only may also run in a plain connection's transaction (server/db/sql-transaction.ts), which is one already. */
function atomically<T>(db: TDatabaseOrTransaction | TSqlTransaction, work: (tx: TSqlTransaction) => Promise<T>): Promise<T>;
// A Prisma transaction client's $transaction runs the work in that same transaction.
function atomically<T>(db: TDatabaseOrTransaction | TSqlTransaction, work: (tx: TTransaction) => Promise<T>): Promise<T> {
  return "$transaction" in db ? (db as TDatabase).$transaction(work) : work(db as TTransaction);
}

/** The alert job for events just written (issue 12, alerts): one job per statement, so a bulk action is one alert. */
async function enqueueAlerts(tx: TSqlTransaction, eventIds: bigint[]): Promise<void> {
  const sorted = [...eventIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const named = sorted.slice(0, MAX_ALERT_EVENT_IDS).map(String);
  await enqueue(tx, "alerts__deliver", { eventIds: named, total: sorted.length }, { jobKey: `alerts:${sorted[0]}` });
}

/** Call inside the transaction of the change it records. */
export async function recordAuditEvent(
  tx: TDatabaseOrTransaction,
  actor: TActor,
  event: { action: TAuditAction; targetType: string; targetId: bigint; changes: TChanges },
): Promise<void> {
  const alerts = needsAlertJob(event.action, [event.changes]);
  const webhooks = webhookRulesOf(event.action).length > 0;
  if (!alerts && !webhooks) {
    await createAuditEvent(tx, actor, event);
    return;
  }
  await atomically(tx, async (inner) => {
    const id = await createAuditEvent(inner, actor, event);
    if (alerts) await enqueueAlerts(inner, [id]);
    if (webhooks) await queueAuditWebhooks(inner, actor.tenantId, event.action, [id]);
  });
}

async function createAuditEvent(
  tx: TDatabaseOrTransaction,
  actor: TActor,
  event: { action: TAuditAction; targetType: string; targetId: bigint; changes: TChanges },
): Promise<bigint> {
  const created = await tx.auditEvent.create({
    select: { id: true },
    data: {
      tenantId: actor.tenantId,
      actorId: actor.memberId,
      actorDirectoryId: actor.directoryId ?? null,
      actorTokenId: actor.apiTokenId ?? null,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      changes: event.changes as Prisma.InputJsonValue,
      ipAddress: actor.ipAddress?.slice(0, 45) ?? null,
      userAgent: actor.userAgent?.slice(0, 512) ?? null,
    },
  });
  return created.id;
}

/**
 * The same action on many targets, one event each, in one statement: for
 * set-based changes (bulk transfer, bulk grant). Call inside their transaction.
 */
export async function recordAuditEvents(
  tx: TDatabaseOrTransaction | TSqlTransaction,
  actor: TActor,
  event: { action: TAuditAction; targetType: string; targets: { targetId: bigint; changes: TChanges }[] },
): Promise<void> {
  if (event.targets.length === 0) return;
  // On a plain connection, one jsonb document per event as a binary jsonb[]: PostgreSQL parses a batch's documents one
  // by one several times faster than as one document, and the binary form spares an array literal's escaping of every
  // quote. Through Prisma (which would carry the Buffer as base64), one document.
  const targets = !takesBinaryArrays(tx)
    ? Prisma.sql`jsonb_to_recordset(${JSON.stringify(event.targets.map((target) => ({ id: target.targetId.toString(), changes: target.changes })))}::jsonb) AS t(id bigint, changes jsonb)`
    : Prisma.sql`unnest(${event.targets.map((target) => target.targetId)}::bigint[], ${jsonbArray(event.targets.map((target) => JSON.stringify(target.changes)))}::jsonb[]) AS t(id, changes)`;
  const insert = (inner: TDatabaseOrTransaction | TSqlTransaction) => inner.$queryRaw<{ id: bigint }[]>`
    INSERT INTO audit_events (tenant_id, actor_id, actor_directory_id, actor_token_id, action, target_type, target_id, changes, ip_address, user_agent)
    SELECT ${actor.tenantId}, ${actor.memberId}, ${actor.directoryId ?? null}::bigint, ${actor.apiTokenId ?? null}::bigint, ${event.action}, ${event.targetType}, t.id, t.changes,
           ${actor.ipAddress?.slice(0, 45) ?? null}, ${actor.userAgent?.slice(0, 512) ?? null}
    FROM ${targets}
    RETURNING id`;
  const alerts = needsAlertJob(event.action, event.targets.map((target) => target.changes));
  const webhooks = webhookRulesOf(event.action).length > 0;
  if (!alerts && !webhooks) {
    await insert(tx);
    return;
  }
  await atomically(tx, async (inner) => {
    const ids = (await insert(inner)).map((row) => row.id);
    if (alerts) await enqueueAlerts(inner, ids);
    if (webhooks) await queueAuditWebhooks(inner, actor.tenantId, event.action, ids);
  });
}

/** The before/after of each field that differs; dates compared by instant. */
export function diffFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): TChanges {
  const changes: TChanges = {};
  for (const [field, value] of Object.entries(after)) {
    const previous = before[field];
    const same = previous instanceof Date && value instanceof Date ? previous.getTime() === value.getTime() : previous === value;
    if (!same) changes[field] = { before: previous ?? null, after: value ?? null };
  }
  return changes;
}

/** A creation as changes from nothing, for the timeline. */
export function creationChanges(values: Record<string, unknown>): TChanges {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null && value !== undefined).map(([field, value]) => [field, { before: null, after: value }]));
}
