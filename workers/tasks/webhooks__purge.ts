import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { purgeWebhookMessages } from "@/server/webhooks/purge-webhook-messages";
import { taskPayloads } from "@/server/queue/payloads";

/** Webhook messages (they name members) and their delivery log go after 30 days. */
const webhooksPurge: Task = async (payload, helpers) => {
  taskPayloads.webhooks__purge.parse(payload);
  const purged = await purgeWebhookMessages(db());
  helpers.logger.info(`Webhook messages purged: ${purged}`);
};

export default webhooksPurge;
