import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { deliverWebhook } from "@/server/webhooks/deliver-webhook";
import { taskPayloads } from "@/server/queue/payloads";

/** One signed POST of one webhook message to one endpoint; a failure schedules the next attempt itself (server/webhooks/deliver-webhook.ts). */
const webhooksDeliver: Task = async (payload, helpers) => {
  const { deliveryId, replay } = taskPayloads.webhooks__deliver.parse(payload);
  const outcome = await deliverWebhook(db(), BigInt(deliveryId), { replay: replay ?? false });
  helpers.logger.info(`Webhook delivery ${deliveryId}${replay ? " (replay)" : ""}: ${outcome}`);
};

export default webhooksDeliver;
