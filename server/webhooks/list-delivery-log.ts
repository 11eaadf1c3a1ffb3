import type { TDatabaseOrTransaction } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { ZWebhookLogList, type TWebhookLogListInput } from "@/server/webhooks/schemas";

// An endpoint's delivery log, newest attempt first (or its failures only):
// when, which message (its webhook-id, type and body: what was sent), the
// answer's status and excerpt, how long it took, and the delivery's state.

export type TWebhookLogEntry = {
  id: string;
  deliveryId: string;
  webhookId: string;
  eventType: string;
  attempt: number;
  trigger: "scheduled" | "replay";
  requestedAt: Date;
  durationMs: number;
  responseStatus: number | null;
  ok: boolean;
  error: string | null;
  responseExcerpt: string | null;
  deliveryStatus: "pending" | "delivered" | "failed";
  nextAttemptAt: Date | null;
  payload: unknown;
};

type TRow = {
  id: bigint;
  delivery_id: bigint;
  webhook_id: string;
  event_type: string;
  attempt: number;
  trigger: "scheduled" | "replay";
  requested_at: Date;
  duration_ms: number;
  response_status: number | null;
  ok: boolean;
  error: string | null;
  response_excerpt: string | null;
  status: "pending" | "delivered" | "failed";
  next_attempt_at: Date | null;
  payload: unknown;
};

export async function listWebhookDeliveryLog(
  db: TDatabaseOrTransaction,
  tenantId: bigint,
  rawInput: TWebhookLogListInput,
): Promise<{ items: TWebhookLogEntry[]; nextCursor: string | null }> {
  const input = ZWebhookLogList.parse(rawInput);
  const endpointId = BigInt(input.endpointId);
  const endpoint = await db.webhookEndpoint.findFirst({ where: { id: endpointId, tenantId }, select: { id: true } });
  if (!endpoint) throw new NotFoundError("No such webhook endpoint");
  const before = input.cursor ? BigInt(input.cursor) : null;
  const failedOnly = input.show === "failed";
  const rows = await db.$queryRaw<TRow[]>`
    SELECT a.id, a.delivery_id, m.webhook_id, m.event_type, a.attempt, a.trigger, a.requested_at, a.duration_ms, a.response_status, a.ok,
           a.error, a.response_excerpt, d.status, d.next_attempt_at, m.payload
    FROM webhook_delivery_attempts a
    JOIN webhook_deliveries d ON d.id = a.delivery_id
    JOIN webhook_messages m ON m.id = d.message_id
    WHERE a.endpoint_id = ${endpointId} AND a.tenant_id = ${tenantId}
      AND (${before}::bigint IS NULL OR a.id < ${before}::bigint)
      AND (NOT ${failedOnly} OR NOT a.ok)
    ORDER BY a.id DESC
    LIMIT ${input.limit + 1}`;
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((row) => ({
      id: row.id.toString(),
      deliveryId: row.delivery_id.toString(),
      webhookId: row.webhook_id,
      eventType: row.event_type,
      attempt: row.attempt,
      trigger: row.trigger,
      requestedAt: row.requested_at,
      durationMs: row.duration_ms,
      responseStatus: row.response_status,
      ok: row.ok,
      error: row.error,
      responseExcerpt: row.response_excerpt,
      deliveryStatus: row.status,
      nextAttemptAt: row.next_attempt_at,
      payload: row.payload,
    })),
    nextCursor: rows.length > input.limit ? page[page.length - 1]!.id.toString() : null,
  };
}
