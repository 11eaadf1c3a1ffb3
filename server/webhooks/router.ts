import { adminProcedure, router } from "@/server/trpc/init";
import { ZNoInput } from "@/server/trpc/no-input";
import { ZWebhookEndpointId, ZWebhookEndpointInput, ZWebhookEndpointUpdate, ZWebhookLogList, ZWebhookReplay, ZWebhookSetEnabled } from "@/server/webhooks/schemas";
import { getWebhookEndpoint, listWebhookEndpoints } from "@/server/webhooks/list-endpoints";
import { listWebhookDeliveryLog } from "@/server/webhooks/list-delivery-log";
import { createWebhookEndpoint, deleteWebhookEndpoint, rotateWebhookSecret, setWebhookEndpointEnabled, updateWebhookEndpoint } from "@/server/webhooks/manage-endpoints";
import { replayWebhookDelivery, sendWebhookTestEvent } from "@/server/webhooks/manual-sends";

// Settings → Webhooks. Admins read endpoints and their delivery log, send a
// test event and replay a message (rate-limited); owners, after a step-up,
// add, change, enable, disable and delete endpoints and rotate their secrets.
// The services check.
export const webhooksRouter = router({
  list: adminProcedure.input(ZNoInput).query(({ ctx }) => listWebhookEndpoints(ctx.db, ctx.session.tenant.id)),
  get: adminProcedure.input(ZWebhookEndpointId).query(({ ctx, input }) => getWebhookEndpoint(ctx.db, ctx.session.tenant.id, BigInt(input.endpointId))),
  log: adminProcedure.input(ZWebhookLogList).query(({ ctx, input }) => listWebhookDeliveryLog(ctx.db, ctx.session.tenant.id, input)),
  create: adminProcedure.input(ZWebhookEndpointInput).mutation(({ ctx, input }) => createWebhookEndpoint(ctx.db, ctx.actor, input)),
  update: adminProcedure.input(ZWebhookEndpointUpdate).mutation(({ ctx, input }) => updateWebhookEndpoint(ctx.db, ctx.actor, input)),
  delete: adminProcedure.input(ZWebhookEndpointId).mutation(({ ctx, input }) => deleteWebhookEndpoint(ctx.db, ctx.actor, input)),
  setEnabled: adminProcedure.input(ZWebhookSetEnabled).mutation(({ ctx, input }) => setWebhookEndpointEnabled(ctx.db, ctx.actor, input)),
  rotateSecret: adminProcedure.input(ZWebhookEndpointId).mutation(({ ctx, input }) => rotateWebhookSecret(ctx.db, ctx.actor, input)),
  sendTest: adminProcedure.input(ZWebhookEndpointId).mutation(({ ctx, input }) => sendWebhookTestEvent(ctx.db, ctx.actor, input)),
  replay: adminProcedure.input(ZWebhookReplay).mutation(({ ctx, input }) => replayWebhookDelivery(ctx.db, ctx.actor, input)),
});
