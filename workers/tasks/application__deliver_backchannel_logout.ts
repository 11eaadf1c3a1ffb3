import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { deliverBackchannelLogout } from "@/server/oidc/deliver-backchannel-logout";
import { taskPayloads } from "@/server/queue/payloads";

/**
 * Sends one back-channel logout token to an application (a member's access to
 * it was revoked). A failed attempt throws, so graphile-worker retries with
 * its backoff; the last attempt records the failure and completes.
 */
const applicationDeliverBackchannelLogout: Task = async (payload, helpers) => {
  const { deliveryId } = taskPayloads.application__deliver_backchannel_logout.parse(payload);
  const outcome = await deliverBackchannelLogout(db(), BigInt(deliveryId), { attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
  helpers.logger.info(`Back-channel logout ${deliveryId}: ${outcome}`);
};

export default applicationDeliverBackchannelLogout;
