import { adminProcedure, router } from "@/server/trpc/init";
import { ZNoInput } from "@/server/trpc/no-input";
import { listCellHolders } from "@/server/heatmap/list-cell-holders";
import { listOutliers } from "@/server/heatmap/list-outliers";
import { loadDepartmentHeatmap } from "@/server/heatmap/load-department-heatmap";
import { loadRoleHeatmap } from "@/server/heatmap/load-role-heatmap";
import { ZCellHoldersInput, ZDepartmentHeatmapInput, ZOutliersInput } from "@/server/heatmap/schemas";

export const heatmapRouter = router({
  departments: adminProcedure.input(ZDepartmentHeatmapInput).query(({ ctx, input }) => loadDepartmentHeatmap(ctx.db, ctx.session.tenant.id, input)),
  roles: adminProcedure.input(ZNoInput).query(({ ctx }) => loadRoleHeatmap(ctx.db, ctx.session.tenant.id)),
  cellHolders: adminProcedure.input(ZCellHoldersInput).query(({ ctx, input }) => listCellHolders(ctx.db, ctx.session.tenant.id, input)),
  outliers: adminProcedure.input(ZOutliersInput).query(({ ctx, input }) => listOutliers(ctx.db, ctx.session.tenant.id, input)),
});
