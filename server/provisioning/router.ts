import { adminProcedure, router } from "@/server/trpc/init";
import { ZApplicationRef, ZDeadLetterRetry, ZMemberProvisioningRef, ZReconciliationRef, ZScimSettingsInput, ZStartReconciliation } from "@/server/provisioning/schemas";
import { getReconciliationReport, listReconciliations, startReconciliation } from "@/server/provisioning/reconciliations";
import { approveProvisioning, saveScimSettings } from "@/server/provisioning/manage-scim-settings";
import { getProvisioningOverview, listMemberAccounts } from "@/server/provisioning/get-provisioning";
import { testScimConnection } from "@/server/provisioning/test-scim-connection";
import { retryDeadLetter } from "@/server/provisioning/retry-dead-letter";

// Settings of an application → Provisioning (SCIM), and a member's application
// accounts. Admins read, test and retry; owners (after a step-up) connect,
// change and approve. The services check.
export const provisioningRouter = router({
  overview: adminProcedure.input(ZApplicationRef).query(({ ctx, input }) => getProvisioningOverview(ctx.db, ctx.session.tenant.id, input)),
  save: adminProcedure.input(ZScimSettingsInput).mutation(({ ctx, input }) => saveScimSettings(ctx.db, ctx.actor, input)),
  approve: adminProcedure.input(ZApplicationRef).mutation(({ ctx, input }) => approveProvisioning(ctx.db, ctx.actor, input)),
  testConnection: adminProcedure.input(ZApplicationRef).mutation(({ ctx, input }) => testScimConnection(ctx.db, ctx.session.tenant.id, input)),
  retryDeadLetter: adminProcedure.input(ZDeadLetterRetry).mutation(({ ctx, input }) => retryDeadLetter(ctx.db, ctx.session.tenant.id, input)),
  memberAccounts: adminProcedure.input(ZMemberProvisioningRef).query(({ ctx, input }) => listMemberAccounts(ctx.db, ctx.session.tenant.id, input)),
  reconciliations: adminProcedure.input(ZApplicationRef).query(({ ctx, input }) => listReconciliations(ctx.db, ctx.session.tenant.id, input)),
  reconciliationReport: adminProcedure.input(ZReconciliationRef).query(({ ctx, input }) => getReconciliationReport(ctx.db, ctx.session.tenant.id, input)),
  startReconciliation: adminProcedure.input(ZStartReconciliation).mutation(({ ctx, input }) => startReconciliation(ctx.db, ctx.actor, input)),
});
