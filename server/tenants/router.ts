import { ZNoInput } from "@/server/trpc/no-input";
import { adminProcedure, protectedProcedure, publicProcedure, router } from "@/server/trpc/init";
import { ZCreateFirstTenant } from "@/server/tenants/schemas";
import { createFirstTenant, isSetupNeeded } from "@/server/tenants/create-first-tenant";
import { defaultOrganisationSlug } from "@/server/tenants/default-organisation";
import { getTenantOverview } from "@/server/tenants/get-tenant-overview";

export const setupRouter = router({
  status: publicProcedure.input(ZNoInput).query(async ({ ctx }) => ({
    needed: await isSetupNeeded(ctx.db),
    defaultOrganisation: await defaultOrganisationSlug(ctx.db),
  })),
  createFirstTenant: publicProcedure.input(ZCreateFirstTenant).mutation(async ({ ctx, input }) => {
    const { tenant, owner } = await createFirstTenant(ctx.db, input, ctx.client);
    return { tenantSlug: tenant.slug, username: owner.username };
  }),
});

export const tenantRouter = router({
  current: protectedProcedure.input(ZNoInput).query(({ ctx }) => ({
    slug: ctx.session.tenant.slug,
    name: ctx.session.tenant.name,
  })),
  overview: adminProcedure.input(ZNoInput).query(({ ctx }) => getTenantOverview(ctx.db, ctx.session.tenant.id)),
});
