import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { taskPayloads } from "@/server/queue/payloads";
import { syncGroup } from "@/server/provisioning/sync-group";

/**
 * One Tenure group at one SCIM application that pushes groups, brought in line with its members' open accounts there. Enqueued by
 * the triggers of the groups migration (members joined or left, accounts opened or closed, the group renamed or deleted) in the
 * causing transaction, and for every group when an owner turns pushing on; retries itself with backoff.
 */
const provisioningSyncGroup: Task = async (payload, helpers) => {
  const { applicationId, groupId, attempt } = taskPayloads.provisioning__sync_group.parse(payload);
  const outcome = await syncGroup(db(), BigInt(applicationId), BigInt(groupId), attempt ?? 0);
  helpers.logger.info(`SCIM group ${groupId} at application ${applicationId}: ${outcome}`);
};

export default provisioningSyncGroup;
