import { ZNoInput } from "@/server/trpc/no-input";
import { adminProcedure, protectedProcedure, router } from "@/server/trpc/init";
import { ZMemberCreate, ZMemberListInput, ZMemberUpdate } from "@/server/members/schemas";
import { ZTimelineInput } from "@/server/audit/audit-schemas";
import { ZMemberId } from "@/server/ids";
import { listMemberTimeline } from "@/server/audit/list-member-timeline";
import { createMember } from "@/server/members/create-member";
import { getMember } from "@/server/members/get-member";
import { updateMember } from "@/server/members/update-member";
import { listMembers } from "@/server/members/list-members";

export const meRouter = router({
  get: protectedProcedure.input(ZNoInput).query(({ ctx }) => getMember(ctx.db, ctx.session.tenant.id, ctx.session.member.id)),
});

export const membersRouter = router({
  list: adminProcedure.input(ZMemberListInput).query(({ ctx, input }) => listMembers(ctx.db, ctx.session.tenant.id, input)),
  get: adminProcedure.input(ZMemberId).query(({ ctx, input }) => getMember(ctx.db, ctx.session.tenant.id, BigInt(input.memberId))),
  timeline: adminProcedure.input(ZTimelineInput).query(({ ctx, input }) => listMemberTimeline(ctx.db, ctx.session.tenant.id, input)),
  create: adminProcedure.input(ZMemberCreate).mutation(async ({ ctx, input }) => {
    const member = await createMember(ctx.db, ctx.actor, input);
    return { id: member.id.toString(), username: member.username };
  }),
  update: adminProcedure.input(ZMemberUpdate).mutation(async ({ ctx, input }) => {
    const result = await updateMember(ctx.db, ctx.actor, input);
    return { id: result.id.toString(), lastModifiedDate: result.updatedAt, changed: result.changed };
  }),
});
