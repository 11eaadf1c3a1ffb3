import { adminProcedure, router } from "@/server/trpc/init";
import { applyGrantChange, previewGrantChange } from "@/server/access/change-grants";
import { listDepartmentGrants, listGroupGrants } from "@/server/access/holder-grants";
import { loadInheritanceMatrix } from "@/server/access/inheritance-matrix";
import { ZDepartmentGrantsInput, ZGrantChange, ZGroupGrantsInput } from "@/server/access/grant-schemas";

// Grants to departments and groups, and the inheritance matrix (issue 12).
// The preview is a query: it runs the change in a transaction that is always
// rolled back, so it changes nothing and may be repeated.
export const accessGrantsRouter = router({
  matrix: adminProcedure.query(({ ctx }) => loadInheritanceMatrix(ctx.db, ctx.session.tenant.id)),
  ofDepartment: adminProcedure.input(ZDepartmentGrantsInput).query(({ ctx, input }) => listDepartmentGrants(ctx.db, ctx.session.tenant.id, input.departmentId)),
  ofGroup: adminProcedure.input(ZGroupGrantsInput).query(({ ctx, input }) => listGroupGrants(ctx.db, ctx.session.tenant.id, input.groupId)),
  preview: adminProcedure.input(ZGrantChange).query(({ ctx, input }) => previewGrantChange(ctx.db, ctx.actor, input)),
  change: adminProcedure.input(ZGrantChange).mutation(({ ctx, input }) => applyGrantChange(ctx.db, ctx.actor, input)),
});
