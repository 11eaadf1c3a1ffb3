import type { TDatabase } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { auditEventsPage } from "@/server/audit/list-audit-events";

/** One audit event of the tenant, as the trail shows it (alerts link here); another tenant's is not found. */
export async function getAuditEvent(db: TDatabase, tenantId: bigint, eventId: bigint) {
  const { items } = await auditEventsPage(db, tenantId, { limit: 1, eventId });
  const event = items[0];
  if (!event) throw new NotFoundError("Audit event not found");
  return event;
}
