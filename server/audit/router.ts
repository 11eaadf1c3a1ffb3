import { adminProcedure, router } from "@/server/trpc/init";
import { ZAuditListInput } from "@/server/audit/audit-schemas";
import { listAuditEvents } from "@/server/audit/list-audit-events";
import { getAuditEvent } from "@/server/audit/get-audit-event";
import { ZEntityId } from "@/server/ids";
import { z } from "zod";

export const auditRouter = router({
  /** One event: where an alert links. */
  event: adminProcedure
    .input(z.strictObject({ eventId: ZEntityId("Unknown audit event") }))
    .query(({ ctx, input }) => getAuditEvent(ctx.db, ctx.session.tenant.id, BigInt(input.eventId))),
  list: adminProcedure.input(ZAuditListInput).query(({ ctx, input }) => listAuditEvents(ctx.db, ctx.session.tenant.id, input)),
});
