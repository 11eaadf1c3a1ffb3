import { Prisma } from "@/server/db/generated/client";
import type { TSqlTransaction } from "@/server/db/sql-transaction";
import type { TAuditAction } from "@/server/audit/audit-actions";
import {
  WEBHOOK_SECRET_FIELD_PATTERN,
  WEBHOOK_VALUE_FIELDS,
  webhookRulesOf,
  type TWebhookCondition,
  type TWebhookEventType,
} from "@/server/audit/webhook-event-types";
import { enqueueMany } from "@/server/queue/enqueue";

// The webhook outbox (issue 15, item 6): in the transaction that records audit
// events, their webhook messages, one delivery per subscribed endpoint and a
// delivery job each. Set-based: a bulk action of 10,000 members writes its
// messages and deliveries in one statement from the audit rows it just wrote,
// and its jobs in a second. An organisation without an enabled endpoint
// subscribed to the type pays one index probe (inside that same statement);
// an action no webhook type maps to pays nothing at all.

/** A delivery's job key: the worker's retries replace it (one scheduled attempt per delivery at a time). */
export const deliveryJobKey = (deliveryId: bigint | string) => `webhook-delivery:${deliveryId}`;

const CONDITIONS: Record<TWebhookCondition, Prisma.Sql> = {
  // creationChanges writes every field from nothing; an update names only what changed.
  profile_created: Prisma.sql`a.changes -> 'username' -> 'before' = 'null'::jsonb`,
  profile_updated: Prisma.sql`a.changes -> 'username' -> 'before' IS DISTINCT FROM 'null'::jsonb`,
  access_gained: Prisma.sql`jsonb_array_length(coalesce(a.changes -> 'access' -> 'after', '[]'::jsonb)) > 0`,
  access_lost: Prisma.sql`jsonb_array_length(coalesce(a.changes -> 'access' -> 'before', '[]'::jsonb)) > 0`,
  locked_out: Prisma.sql`a.changes -> 'outcome' ->> 'after' = 'locked'`,
};

const iso = (column: Prisma.Sql) => Prisma.sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** {type, timestamp, data}: ids, the member's names, the changed fields' names and the allowed values (webhook-event-types.ts). */
function payloadSql(type: TWebhookEventType): Prisma.Sql {
  return Prisma.sql`jsonb_build_object(
    'type', ${type}::text,
    'timestamp', ${iso(Prisma.sql`a.created_at`)},
    'data', jsonb_build_object(
      'organisationId', a.tenant_id::text,
      'auditEventId', a.id::text,
      'actor', CASE WHEN a.actor_directory_id IS NOT NULL THEN jsonb_build_object('type', 'directory', 'id', a.actor_directory_id::text)
                    WHEN a.actor_id IS NOT NULL THEN jsonb_build_object('type', 'member', 'id', a.actor_id::text)
                    ELSE jsonb_build_object('type', 'system') END,
      'member', jsonb_build_object('id', a.target_id::text, 'username', u.username::text, 'fullName', u.full_name::text, 'email', u.email::text, 'state', u.state),
      'changedFields', (SELECT coalesce(jsonb_agg(k ORDER BY k), '[]'::jsonb) FROM jsonb_object_keys(a.changes) AS k WHERE k !~* ${WEBHOOK_SECRET_FIELD_PATTERN}),
      'changes', (SELECT coalesce(jsonb_object_agg(c.key, c.value), '{}'::jsonb) FROM jsonb_each(a.changes) AS c
                  WHERE c.key = ANY(${[...WEBHOOK_VALUE_FIELDS]}::text[]) AND c.key !~* ${WEBHOOK_SECRET_FIELD_PATTERN})))`;
}

async function enqueueDeliveries(tx: TSqlTransaction, deliveryIds: bigint[]): Promise<void> {
  await enqueueMany(
    tx,
    "webhooks__deliver",
    deliveryIds.map((id) => ({ payload: { deliveryId: id.toString() }, jobKey: deliveryJobKey(id) })),
  );
}

/**
 * The webhook messages of audit events just written (one action, one
 * organisation, inside their transaction). Returns how many deliveries it queued.
 */
export async function queueAuditWebhooks(tx: TSqlTransaction, tenantId: bigint, action: TAuditAction, auditEventIds: bigint[]): Promise<number> {
  const rules = webhookRulesOf(action);
  if (rules.length === 0 || auditEventIds.length === 0) return 0;
  let queued = 0;
  for (const rule of rules) {
    const condition = rule.when ? CONDITIONS[rule.when] : Prisma.sql`true`;
    const rows = await tx.$queryRaw<{ id: bigint }[]>`
      WITH endpoints AS MATERIALIZED (
        SELECT id FROM webhook_endpoints WHERE tenant_id = ${tenantId} AND enabled AND ${rule.type}::text = ANY(event_types)
      ), messages AS (
        INSERT INTO webhook_messages (tenant_id, event_type, audit_event_id, payload)
        SELECT a.tenant_id, ${rule.type}, a.id, ${payloadSql(rule.type)}
        FROM audit_events a LEFT JOIN users u ON a.target_type = 'member' AND u.id = a.target_id AND u.tenant_id = a.tenant_id
        WHERE EXISTS (SELECT 1 FROM endpoints) AND a.id = ANY(${auditEventIds}::bigint[]) AND a.tenant_id = ${tenantId} AND ${condition}
        ORDER BY a.id
        RETURNING id
      )
      INSERT INTO webhook_deliveries (tenant_id, endpoint_id, message_id)
      SELECT ${tenantId}, e.id, m.id FROM messages m CROSS JOIN endpoints e ORDER BY m.id, e.id
      RETURNING id`;
    await enqueueDeliveries(
      tx,
      rows.map((row) => row.id),
    );
    queued += rows.length;
  }
  return queued;
}

/** Whether the organisation has an enabled endpoint for any type this action can become (a writer that returns no ids asks first). */
export async function hasWebhookSubscribers(tx: TSqlTransaction, tenantId: bigint, action: TAuditAction): Promise<boolean> {
  const types = webhookRulesOf(action).map((rule) => rule.type);
  if (types.length === 0) return false;
  const rows = await tx.$queryRaw<{ found: number }[]>`
    SELECT 1 AS found FROM webhook_endpoints WHERE tenant_id = ${tenantId} AND enabled AND event_types && ${types}::text[] LIMIT 1`;
  return rows.length > 0;
}

/**
 * A message that is no audit event (an alert raised, a test): `data` as given,
 * to the organisation's enabled endpoints subscribed to `type`, or to the one
 * endpoint named (a test goes there whatever it subscribes to).
 */
export async function queueWebhookMessage(
  tx: TSqlTransaction,
  tenantId: bigint,
  type: string,
  data: Record<string, unknown>,
  options: { endpointId?: bigint } = {},
): Promise<{ webhookId: string; deliveryIds: bigint[] } | null> {
  const endpoints =
    options.endpointId !== undefined
      ? Prisma.sql`SELECT id FROM webhook_endpoints WHERE tenant_id = ${tenantId} AND id = ${options.endpointId} AND enabled`
      : Prisma.sql`SELECT id FROM webhook_endpoints WHERE tenant_id = ${tenantId} AND enabled AND ${type}::text = ANY(event_types)`;
  const body = JSON.stringify({ organisationId: tenantId.toString(), ...data });
  const rows = await tx.$queryRaw<{ id: bigint; webhook_id: string }[]>`
    WITH endpoints AS MATERIALIZED (${endpoints}), messages AS (
      INSERT INTO webhook_messages (tenant_id, event_type, payload)
      SELECT ${tenantId}, ${type}, jsonb_build_object('type', ${type}::text, 'timestamp', ${iso(Prisma.sql`now()`)}, 'data', ${body}::jsonb)
      WHERE EXISTS (SELECT 1 FROM endpoints)
      RETURNING id, webhook_id
    ), deliveries AS (
      INSERT INTO webhook_deliveries (tenant_id, endpoint_id, message_id)
      SELECT ${tenantId}, e.id, m.id FROM messages m CROSS JOIN endpoints e
      RETURNING id, message_id
    )
    SELECT d.id, m.webhook_id FROM deliveries d JOIN messages m ON m.id = d.message_id ORDER BY d.id`;
  if (rows.length === 0) return null;
  const deliveryIds = rows.map((row) => row.id);
  await enqueueDeliveries(tx, deliveryIds);
  return { webhookId: rows[0]!.webhook_id, deliveryIds };
}
