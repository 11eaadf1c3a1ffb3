import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { revokeSessionsOfBlockedMembers } from "@/server/lifecycle/enforce-session-revocation";
import { proveOpenReceipts } from "@/server/lifecycle/zero-access";
import { taskPayloads } from "@/server/queue/payloads";

/**
 * After lock, disable, resign, archive or delete: ends any session of these
 * members that is still open (the action ended them in its transaction; this
 * catches one opened in a race) and proves the receipts the action itself
 * could not (bulk actions, or a crash right after the commit). Idempotent.
 */
const memberRevokeSessions: Task = async (payload, helpers) => {
  const { memberIds, receiptIds } = taskPayloads.member__revoke_sessions.parse(payload);
  const ended = await revokeSessionsOfBlockedMembers(db(), memberIds.map(BigInt), receiptIds.map(BigInt));
  const proven = await proveOpenReceipts(db(), receiptIds.map(BigInt));
  helpers.logger.info(`Ended ${ended} late session(s); proved ${proven} receipt(s)`);
};

export default memberRevokeSessions;
