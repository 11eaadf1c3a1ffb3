import { adminProcedure, router } from "@/server/trpc/init";
import { getImport, listImports } from "@/server/imports/get-import";
import { cancelImport, startImport } from "@/server/imports/queue-import";
import { ZImportAction, ZImportListInput, ZImportRef } from "@/server/imports/schemas";

// The upload (the dry run) and the report download are route handlers
// (app/api/imports): they stream files, which procedures do not. "apply" is a
// word tRPC reserves (routers are called through a Proxy), hence "start".
export const importsRouter = router({
  list: adminProcedure.input(ZImportListInput).query(({ ctx, input }) => listImports(ctx.db, ctx.session.tenant.id, input)),
  get: adminProcedure.input(ZImportRef).query(({ ctx, input }) => getImport(ctx.db, ctx.session.tenant.id, BigInt(input.importId))),
  start: adminProcedure.input(ZImportAction).mutation(({ ctx, input }) => startImport(ctx.db, ctx.actor, input)),
  cancel: adminProcedure.input(ZImportAction).mutation(({ ctx, input }) => cancelImport(ctx.db, ctx.actor, input)),
});
