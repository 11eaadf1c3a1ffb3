import type { TDatabase } from "@/server/db/client";
import { auditEventsPage } from "@/server/audit/list-audit-events";
import { ZTimelineInput } from "@/server/audit/audit-schemas";
import type { z } from "zod";

/** A member's audit events, newest first, one keyset page at a time: the audit trail's query with the member as target. */
export async function listMemberTimeline(db: TDatabase, tenantId: bigint, rawInput: z.input<typeof ZTimelineInput>) {
  const { memberId, limit, cursor } = ZTimelineInput.parse(rawInput);
  return auditEventsPage(db, tenantId, { limit, cursor, targetType: "member", targetId: BigInt(memberId) });
}
