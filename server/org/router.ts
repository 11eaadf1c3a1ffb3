import { ZNoInput } from "@/server/trpc/no-input";
import { adminProcedure, router } from "@/server/trpc/init";
import { joinDepartment, previewDepartmentJoin } from "@/server/org/join-department";
import { leaveDepartment, previewDepartmentLeave } from "@/server/org/leave-department";
import { listDepartmentHeads } from "@/server/org/list-department-heads";
import { listDepartmentTree } from "@/server/org/list-department-tree";
import { createDepartment, deleteDepartment, moveDepartment, previewDepartmentMove, renameDepartment } from "@/server/org/manage-departments";
import {
  ZDepartmentCreate,
  ZDepartmentHeadSet,
  ZDepartmentId,
  ZDepartmentJoin,
  ZDepartmentLeave,
  ZDepartmentMove,
  ZDepartmentQuery,
  ZDepartmentRename,
  ZMainDepartmentSet,
  ZMembersTransfer,
  ZMemberTransfer,
} from "@/server/org/schemas";
import { setDepartmentHead } from "@/server/org/set-department-head";
import { setMainDepartment } from "@/server/org/set-main-department";
import { previewMembersTransfer, transferMembers } from "@/server/org/transfer-members";
import { previewMemberTransfer, transferMember } from "@/server/org/transfer-member";

const idOf = <T extends { id: bigint }>(department: T) => ({ ...department, id: department.id.toString() });

// Previews are mutations: they run the change and roll it back (nothing is kept), and a
// bulk transfer's 1,000 member ids would not fit in a query's URL.
export const departmentsRouter = router({
  tree: adminProcedure.input(ZNoInput).query(({ ctx }) => listDepartmentTree(ctx.db, ctx.session.tenant.id)),
  heads: adminProcedure.input(ZDepartmentQuery).query(({ ctx, input }) => listDepartmentHeads(ctx.db, ctx.session.tenant.id, input)),
  create: adminProcedure.input(ZDepartmentCreate).mutation(async ({ ctx, input }) => idOf(await createDepartment(ctx.db, ctx.actor, input))),
  rename: adminProcedure.input(ZDepartmentRename).mutation(async ({ ctx, input }) => idOf(await renameDepartment(ctx.db, ctx.actor, input))),
  move: adminProcedure.input(ZDepartmentMove).mutation(async ({ ctx, input }) => idOf(await moveDepartment(ctx.db, ctx.actor, input))),
  previewMove: adminProcedure.input(ZDepartmentMove).mutation(({ ctx, input }) => previewDepartmentMove(ctx.db, ctx.actor, input)),
  delete: adminProcedure.input(ZDepartmentId).mutation(async ({ ctx, input }) => {
    await deleteDepartment(ctx.db, ctx.actor, input);
    return { deleted: input.departmentId };
  }),
  transferMember: adminProcedure.input(ZMemberTransfer).mutation(async ({ ctx, input }) => {
    const result = await transferMember(ctx.db, ctx.actor, input);
    return { memberId: result.memberId.toString(), departmentId: result.departmentId.toString(), main: result.main };
  }),
  previewTransferMember: adminProcedure.input(ZMemberTransfer).mutation(({ ctx, input }) => previewMemberTransfer(ctx.db, ctx.actor, input)),
  transferMembers: adminProcedure.input(ZMembersTransfer).mutation(async ({ ctx, input }) => {
    const result = await transferMembers(ctx.db, ctx.actor, input);
    return { transferred: result.transferred, departmentId: result.departmentId.toString() };
  }),
  previewTransferMembers: adminProcedure.input(ZMembersTransfer).mutation(({ ctx, input }) => previewMembersTransfer(ctx.db, ctx.actor, input)),
  join: adminProcedure.input(ZDepartmentJoin).mutation(async ({ ctx, input }) => {
    const result = await joinDepartment(ctx.db, ctx.actor, input);
    return { memberId: result.memberId.toString(), departmentId: result.departmentId.toString(), main: result.main };
  }),
  previewJoin: adminProcedure.input(ZDepartmentJoin).mutation(({ ctx, input }) => previewDepartmentJoin(ctx.db, ctx.actor, input)),
  leave: adminProcedure.input(ZDepartmentLeave).mutation(async ({ ctx, input }) => {
    const result = await leaveDepartment(ctx.db, ctx.actor, input);
    return { memberId: result.memberId.toString(), departmentId: result.departmentId.toString(), mainDepartmentId: result.mainDepartmentId?.toString() ?? null };
  }),
  previewLeave: adminProcedure.input(ZDepartmentLeave).mutation(({ ctx, input }) => previewDepartmentLeave(ctx.db, ctx.actor, input)),
  setMain: adminProcedure.input(ZMainDepartmentSet).mutation(async ({ ctx, input }) => {
    const result = await setMainDepartment(ctx.db, ctx.actor, input);
    return { memberId: result.memberId.toString(), mainDepartmentId: result.mainDepartmentId.toString(), changed: result.changed };
  }),
  setHead: adminProcedure.input(ZDepartmentHeadSet).mutation(async ({ ctx, input }) => {
    const result = await setDepartmentHead(ctx.db, ctx.actor, input);
    return { memberId: result.memberId.toString(), departmentId: result.departmentId.toString(), head: result.head, changed: result.changed };
  }),
});
