import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { WEBHOOK_TEST_EVENT_TYPE } from "@/server/audit/webhook-event-types";
import { queueWebhookMessage } from "@/server/audit/webhook-outbox";
import { ConflictError, NotFoundError } from "@/server/errors";
import { enqueue } from "@/server/queue/enqueue";
import { takeToken } from "@/server/rate-limits/token-bucket";
import type { TActor } from "@/server/shared/actor";
import { ZWebhookEndpointId, ZWebhookReplay, type TWebhookEndpointId, type TWebhookReplay } from "@/server/webhooks/schemas";

// "Send test event" and "Replay": requests from this server to an address an
// owner chose, on an admin's click. However many admins, tabs or scripts
// click, an organisation gets this many a minute (one shared token bucket).

export const WEBHOOK_MANUAL_SEND_LIMIT = { capacity: 10, perSeconds: 60 } as const;
export const MANUAL_SEND_LIMIT_MESSAGE = `At most ${WEBHOOK_MANUAL_SEND_LIMIT.capacity} test events and replays a minute: try again in a minute`;
export const webhookManualSendBucket = (tenantId: bigint) => `webhook-manual-send:${tenantId}`;

async function reserveManualSend(db: TDatabase, tenantId: bigint, now: Date): Promise<void> {
  const taken = await takeToken(db, webhookManualSendBucket(tenantId), WEBHOOK_MANUAL_SEND_LIMIT, now);
  if (!taken.allowed) throw new ConflictError(MANUAL_SEND_LIMIT_MESSAGE);
}

async function enabledEndpoint(db: TDatabase, tenantId: bigint, endpointId: bigint): Promise<void> {
  const endpoint = await db.webhookEndpoint.findFirst({ where: { id: endpointId, tenantId }, select: { enabled: true } });
  if (!endpoint) throw new NotFoundError("No such webhook endpoint");
  if (!endpoint.enabled) throw new ConflictError("This endpoint is disabled: enable it first");
}

/** A webhook.test message to this endpoint only, whatever it subscribes to. */
export async function sendWebhookTestEvent(db: TDatabase, actor: TActor, rawInput: TWebhookEndpointId, now = new Date()): Promise<{ webhookId: string }> {
  const { endpointId } = ZWebhookEndpointId.parse(rawInput);
  await enabledEndpoint(db, actor.tenantId, BigInt(endpointId));
  await reserveManualSend(db, actor.tenantId, now);
  const queued = await db.$transaction((tx) =>
    queueWebhookMessage(tx, actor.tenantId, WEBHOOK_TEST_EVENT_TYPE, { endpointId, message: "A test event from Tenure" }, { endpointId: BigInt(endpointId) }),
  );
  // Only a disable racing this click gets here.
  if (!queued) throw new ConflictError("This endpoint is disabled: enable it first");
  return { webhookId: queued.webhookId };
}

/** The same message again (same webhook-id, so a receiver that already has it can tell), now, once. */
export async function replayWebhookDelivery(db: TDatabase, actor: TActor, rawInput: TWebhookReplay, now = new Date()): Promise<{ deliveryId: string }> {
  const input = ZWebhookReplay.parse(rawInput);
  const endpointId = BigInt(input.endpointId);
  const delivery = await db.webhookDelivery.findFirst({ where: { id: BigInt(input.deliveryId), endpointId, tenantId: actor.tenantId }, select: { id: true, messageId: true } });
  if (!delivery) throw new NotFoundError("No such delivery");
  await enabledEndpoint(db, actor.tenantId, endpointId);
  await reserveManualSend(db, actor.tenantId, now);
  await db.$transaction(async (tx) => {
    await enqueue(tx, "webhooks__deliver", { deliveryId: delivery.id.toString(), replay: true });
    await recordAuditEvent(tx, actor, {
      action: "webhook_delivery.replayed",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      changes: { delivery: { before: null, after: { id: delivery.id.toString(), messageId: delivery.messageId.toString() } } },
    });
  });
  return { deliveryId: delivery.id.toString() };
}
