import { adminProcedure, publicProcedure, router } from "@/server/trpc/init";
import { getSecurityPolicy } from "@/server/auth/security-policy";
import { ZMemberId } from "@/server/ids";
import { acceptInvitation } from "@/server/onboarding/accept-invitation";
import { findOpenInvitation } from "@/server/onboarding/find-invitation";
import { getInvitationStatus } from "@/server/onboarding/get-invitation-status";
import { onboardMember } from "@/server/onboarding/onboard-member";
import { resendInvitation } from "@/server/onboarding/resend-invitation";
import { ZAcceptInvitation, ZInvitationLookup, ZOnboardMember } from "@/server/onboarding/schemas";

export const onboardingRouter = router({
  onboard: adminProcedure.input(ZOnboardMember).mutation(async ({ ctx, input }) => {
    const member = await onboardMember(ctx.db, ctx.actor, input);
    return { ...member, id: member.id.toString() };
  }),
  invitationStatus: adminProcedure.input(ZMemberId).query(({ ctx, input }) => getInvitationStatus(ctx.db, ctx.session.tenant.id, BigInt(input.memberId))),
  resendInvitation: adminProcedure.input(ZMemberId).mutation(({ ctx, input }) => resendInvitation(ctx.db, ctx.actor, input)),
  // Public: the link's token is the credential. Only what the invited member needs to recognise it.
  invitation: publicProcedure.input(ZInvitationLookup).query(async ({ ctx, input }) => {
    const invitation = await findOpenInvitation(ctx.db, input.token);
    if (!invitation) return null;
    const policy = await getSecurityPolicy(ctx.db, invitation.tenantId);
    return { organisation: invitation.organisation, username: invitation.username, startDate: invitation.startDate, passwordMinLength: policy.passwordMinLength };
  }),
  acceptInvitation: publicProcedure.input(ZAcceptInvitation).mutation(({ ctx, input }) => acceptInvitation(ctx.db, ctx.client, input)),
});
