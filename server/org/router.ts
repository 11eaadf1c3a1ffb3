import { ZNoInput } from "@/server/trpc/no-input";
import { adminProcedure, router } from "@/server/trpc/init";
import { listDepartmentTree } from "@/server/org/list-department-tree";

export const departmentsRouter = router({
  tree: adminProcedure.input(ZNoInput).query(({ ctx }) => listDepartmentTree(ctx.db, ctx.session.tenant.id)),
});
