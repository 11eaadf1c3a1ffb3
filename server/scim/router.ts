import { adminProcedure, router } from "@/server/trpc/init";
import { ZNoInput } from "@/server/trpc/no-input";
import { appUrl } from "@/server/mail/send-mail";
import { ZScimRequestsQuery, ZScimSettingsInput } from "@/server/scim/scim-schemas";
import { getScimSettings, updateScimSettings } from "@/server/scim/scim-settings";
import { listScimRequests } from "@/server/scim/list-scim-requests";

// Settings → Provisioning (SCIM): the base URL, the settings, recent requests per token. Admins only.
export const scimRouter = router({
  settings: adminProcedure.input(ZNoInput).query(async ({ ctx }) => ({ baseUrl: appUrl("/scim/v2"), ...(await getScimSettings(ctx.db, ctx.session.tenant.id)) })),
  updateSettings: adminProcedure.input(ZScimSettingsInput).mutation(({ ctx, input }) => updateScimSettings(ctx.db, ctx.actor, input)),
  recentRequests: adminProcedure.input(ZScimRequestsQuery).query(({ ctx, input }) => listScimRequests(ctx.db, ctx.session.tenant.id, input)),
});
