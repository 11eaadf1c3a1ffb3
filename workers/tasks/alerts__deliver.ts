import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { deliverAlerts } from "@/server/alerts/deliver-alerts";
import { taskPayloads } from "@/server/queue/payloads";

/** Evaluates the organisation's alert rules for the events of one audit statement; safe to retry (server/alerts/deliver-alerts.ts). */
const alertsDeliver: Task = async (payload, helpers) => {
  const { eventIds, total } = taskPayloads.alerts__deliver.parse(payload);
  const outcome = await deliverAlerts(db(), eventIds.map((id) => BigInt(id)), total);
  helpers.logger.info(`Alert for audit event ${eventIds[0]}: ${outcome}`);
};

export default alertsDeliver;
