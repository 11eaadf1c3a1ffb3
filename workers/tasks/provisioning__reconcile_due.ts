import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { taskPayloads } from "@/server/queue/payloads";
import { scheduleDueReconciliations } from "@/server/provisioning/reconciliations";

/** The daily reconciliation of every approved SCIM application. */
const provisioningReconcileDue: Task = async (payload, helpers) => {
  taskPayloads.provisioning__reconcile_due.parse(payload);
  helpers.logger.info(`SCIM reconciliations started: ${await scheduleDueReconciliations(db())}`);
};

export default provisioningReconcileDue;
