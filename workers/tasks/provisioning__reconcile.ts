import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { taskPayloads } from "@/server/queue/payloads";
import { runReconciliation } from "@/server/provisioning/reconcile-accounts";

/** One reconciliation run: the application's accounts read page by page and compared with who should have one. Safe to run again. */
const provisioningReconcile: Task = async (payload, helpers) => {
  const { reconciliationId } = taskPayloads.provisioning__reconcile.parse(payload);
  await runReconciliation(db(), BigInt(reconciliationId));
  helpers.logger.info(`SCIM reconciliation ${reconciliationId}: done`);
};

export default provisioningReconcile;
