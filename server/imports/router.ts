import { adminProcedure, router } from "@/server/trpc/init";
import { getImport, listImports } from "@/server/imports/get-import";
import { cancelImport, startImport } from "@/server/imports/queue-import";
import { ZImportAction, ZImportListInput, ZImportRef } from "@/server/imports/schemas";
import { disableMembersDisabledInSource } from "@/server/imports/disable-from-source";
import { deleteImportMapping, listImportMappings, saveImportMapping } from "@/server/imports/import-mappings";
import { ZDisableFromSourceInput, ZImportMappingRef, ZMappingPreviewInput, ZSaveImportMapping } from "@/server/imports/mapping-schemas";
import { previewImportMapping } from "@/server/imports/preview-import-mapping";
import { ZNoInput } from "@/server/trpc/no-input";

// The upload (the dry run) and the report download are route handlers
// (app/api/imports): they stream files, which procedures do not. "apply" is a
// word tRPC reserves (routers are called through a Proxy), hence "start".
export const importsRouter = router({
  list: adminProcedure.input(ZImportListInput).query(({ ctx, input }) => listImports(ctx.db, ctx.session.tenant.id, input)),
  get: adminProcedure.input(ZImportRef).query(({ ctx, input }) => getImport(ctx.db, ctx.session.tenant.id, BigInt(input.importId))),
  start: adminProcedure.input(ZImportAction).mutation(({ ctx, input }) => startImport(ctx.db, ctx.actor, input)),
  cancel: adminProcedure.input(ZImportAction).mutation(({ ctx, input }) => cancelImport(ctx.db, ctx.actor, input)),
  // The mapping step of a migration import. A mutation, not a query: the start of the file is too long for a URL.
  previewMapping: adminProcedure.input(ZMappingPreviewInput).mutation(({ ctx, input }) => previewImportMapping(ctx.db, ctx.session.tenant.id, input)),
  mappings: adminProcedure.input(ZNoInput).query(({ ctx }) => listImportMappings(ctx.db, ctx.session.tenant.id)),
  saveMapping: adminProcedure.input(ZSaveImportMapping).mutation(({ ctx, input }) => saveImportMapping(ctx.db, ctx.actor, input)),
  deleteMapping: adminProcedure.input(ZImportMappingRef).mutation(({ ctx, input }) => deleteImportMapping(ctx.db, ctx.actor, input)),
  disableFromSource: adminProcedure.input(ZDisableFromSourceInput).mutation(({ ctx, input }) => disableMembersDisabledInSource(ctx.db, ctx.actor, input)),
});
