import { ZNoInput } from "@/server/trpc/no-input";
import { adminProcedure, protectedProcedure, router } from "@/server/trpc/init";
import { ZMemberListInput } from "@/server/members/schemas";
import { getMemberProfile } from "@/server/members/get-member-profile";
import { listMembers } from "@/server/members/list-members";

export const meRouter = router({
  get: protectedProcedure.input(ZNoInput).query(({ ctx }) => getMemberProfile(ctx.db, ctx.session.tenant.id, ctx.session.member.id)),
});

export const membersRouter = router({
  list: adminProcedure.input(ZMemberListInput).query(({ ctx, input }) => listMembers(ctx.db, ctx.session.tenant.id, input)),
});
