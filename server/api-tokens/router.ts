import { adminProcedure, router } from "@/server/trpc/init";
import { ZNoInput } from "@/server/trpc/no-input";
import { ZApiTokenCreate, ZApiTokenId } from "@/server/api-tokens/api-token-schemas";
import { createApiToken, listApiTokens, revokeApiToken } from "@/server/api-tokens/manage-api-tokens";

// Settings → API tokens. Admins list and revoke; owners (after a step-up)
// create. The services check.
export const apiTokensRouter = router({
  list: adminProcedure.input(ZNoInput).query(({ ctx }) => listApiTokens(ctx.db, ctx.session.tenant.id)),
  create: adminProcedure.input(ZApiTokenCreate).mutation(({ ctx, input }) => createApiToken(ctx.db, ctx.actor, input)),
  revoke: adminProcedure.input(ZApiTokenId).mutation(({ ctx, input }) => revokeApiToken(ctx.db, ctx.actor, input)),
});
