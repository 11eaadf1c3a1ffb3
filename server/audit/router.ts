import { adminProcedure, router } from "@/server/trpc/init";
import { ZAuditListInput } from "@/server/audit/audit-schemas";
import { listAuditEvents } from "@/server/audit/list-audit-events";

export const auditRouter = router({
  list: adminProcedure.input(ZAuditListInput).query(({ ctx, input }) => listAuditEvents(ctx.db, ctx.session.tenant.id, input)),
});
