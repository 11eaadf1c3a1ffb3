import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { taskPayloads } from "@/server/queue/payloads";
import { syncMemberAccount } from "@/server/provisioning/sync-member-account";

/**
 * One member's account at one SCIM application brought in line with what they should have now. Enqueued by the triggers of the
 * provisioning migration (access gained or lost, a profile edit, an erasure) in the causing transaction; retries itself with backoff.
 */
const provisioningSyncMember: Task = async (payload, helpers) => {
  const { applicationId, memberId, attempt } = taskPayloads.provisioning__sync_member.parse(payload);
  const outcome = await syncMemberAccount(db(), BigInt(applicationId), BigInt(memberId), attempt ?? 0);
  helpers.logger.info(`SCIM account of member ${memberId} at application ${applicationId}: ${outcome}`);
};

export default provisioningSyncMember;
