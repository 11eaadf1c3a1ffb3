import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { deliverBackchannelLogouts } from "@/server/oidc/deliver-backchannel-logout";
import { taskPayloads } from "@/server/queue/payloads";

/**
 * Sends back-channel logout tokens to an application (members' access to it
 * was revoked). When some attempts fail it throws after recording them, so
 * graphile-worker retries the job with its backoff and the retry sends only
 * those; the last attempt records the failures and completes.
 */
const applicationDeliverBackchannelLogout: Task = async (payload, helpers) => {
  const parsed = taskPayloads.application__deliver_backchannel_logout.parse(payload);
  const ids = "deliveryIds" in parsed ? parsed.deliveryIds : [parsed.deliveryId];
  const outcomes = await deliverBackchannelLogouts(db(), ids.map(BigInt), { attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
  helpers.logger.info(`Back-channel logouts ${ids[0]}…: ${JSON.stringify(outcomes)}`);
};

export default applicationDeliverBackchannelLogout;
