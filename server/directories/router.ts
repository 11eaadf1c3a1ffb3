import { adminProcedure, router } from "@/server/trpc/init";
import { ZNoInput } from "@/server/trpc/no-input";
import { ZDirectoryId, ZDirectoryInput, ZDirectoryProbe, ZDirectoryUpdate } from "@/server/directories/directory-schemas";
import { listDirectories } from "@/server/directories/list-directories";
import { getDirectory } from "@/server/directories/get-directory";
import { createDirectory, deleteDirectory, updateDirectory } from "@/server/directories/manage-directories";
import { testDirectoryConnection } from "@/server/directories/test-directory-connection";
import { previewDirectoryEntries } from "@/server/directories/preview-directory-entries";

// Settings → Directories. Admins read, test and preview the saved directories;
// owners (after a step-up) create, change and delete them, and test or preview
// unsaved settings. The services check.
export const directoriesRouter = router({
  list: adminProcedure.input(ZNoInput).query(({ ctx }) => listDirectories(ctx.db, ctx.session.tenant.id)),
  get: adminProcedure.input(ZDirectoryId).query(({ ctx, input }) => getDirectory(ctx.db, ctx.session.tenant.id, BigInt(input.directoryId))),
  create: adminProcedure.input(ZDirectoryInput).mutation(({ ctx, input }) => createDirectory(ctx.db, ctx.actor, input)),
  update: adminProcedure.input(ZDirectoryUpdate).mutation(({ ctx, input }) => updateDirectory(ctx.db, ctx.actor, input)),
  delete: adminProcedure.input(ZDirectoryId).mutation(({ ctx, input }) => deleteDirectory(ctx.db, ctx.actor, input)),
  testConnection: adminProcedure.input(ZDirectoryProbe).mutation(({ ctx, input }) => testDirectoryConnection(ctx.db, ctx.actor, input)),
  preview: adminProcedure.input(ZDirectoryProbe).mutation(({ ctx, input }) => previewDirectoryEntries(ctx.db, ctx.actor, input)),
});
