import { adminProcedure, router } from "@/server/trpc/init";
import { approveSyncRun, cancelSyncRun, startSync } from "@/server/directories/request-sync";
import { getSyncRun, listSyncEntries, listSyncRuns } from "@/server/directories/sync-runs";
import { ZSyncEntryList, ZSyncRunAction, ZSyncRunList, ZSyncRunRef, ZSyncStart } from "@/server/directories/sync-schemas";

// The sync's procedures (mounted as `directorySync`). The report download is
// a route handler (app/api/directory-sync-runs/[runId]/report): it streams.
export const directorySyncRouter = router({
  runs: adminProcedure.input(ZSyncRunList).query(({ ctx, input }) => listSyncRuns(ctx.db, ctx.session.tenant.id, input)),
  run: adminProcedure.input(ZSyncRunRef).query(({ ctx, input }) => getSyncRun(ctx.db, ctx.session.tenant.id, BigInt(input.runId))),
  entries: adminProcedure.input(ZSyncEntryList).query(({ ctx, input }) => listSyncEntries(ctx.db, ctx.session.tenant.id, input)),
  start: adminProcedure.input(ZSyncStart).mutation(({ ctx, input }) => startSync(ctx.db, ctx.actor, input)),
  approve: adminProcedure.input(ZSyncRunAction).mutation(({ ctx, input }) => approveSyncRun(ctx.db, ctx.actor, input)),
  cancel: adminProcedure.input(ZSyncRunAction).mutation(({ ctx, input }) => cancelSyncRun(ctx.db, ctx.actor, input)),
});
