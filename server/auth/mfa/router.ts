import { ZNoInput } from "@/server/trpc/no-input";
import { adminProcedure, protectedProcedure, router } from "@/server/trpc/init";
import { ZMemberId } from "@/server/ids";
import { resetMemberMfa } from "@/server/auth/mfa/reset-member-mfa";
import { passwordResetRouter } from "@/server/auth/forgot-password-router";
import { confirmMfaEnrolment, startMfaEnrolment } from "@/server/auth/mfa/enrol-mfa";
import { getMfaStatus, regenerateRecoveryCodes, removeMfa } from "@/server/auth/mfa/manage-mfa";
import { ZConfirmMfa, ZStepUp } from "@/server/auth/mfa/schemas";
import { stepUpWithOwnPassword } from "@/server/sign-in/own-password";

/** The signed-in member's own second factor (self-service). */
const mfaRouter = router({
  status: protectedProcedure.input(ZNoInput).query(({ ctx }) => getMfaStatus(ctx.db, ctx.session.tenant.id, ctx.session.member.id)),
  start: protectedProcedure.input(ZNoInput).mutation(({ ctx }) => startMfaEnrolment(ctx.db, ctx.actor)),
  confirm: protectedProcedure.input(ZConfirmMfa).mutation(({ ctx, input }) => confirmMfaEnrolment(ctx.db, ctx.actor, input)),
  remove: protectedProcedure.input(ZNoInput).mutation(({ ctx }) => removeMfa(ctx.db, ctx.actor)),
  regenerateRecoveryCodes: protectedProcedure.input(ZNoInput).mutation(({ ctx }) => regenerateRecoveryCodes(ctx.db, ctx.actor)),
  /** An admin's view of a member's second factor, and the reset for a lost device. */
  ofMember: adminProcedure.input(ZMemberId).query(({ ctx, input }) => getMfaStatus(ctx.db, ctx.session.tenant.id, BigInt(input.memberId))),
  resetForMember: adminProcedure.input(ZMemberId).mutation(({ ctx, input }) => resetMemberMfa(ctx.db, ctx.actor, BigInt(input.memberId))),
});

export const authRouter = router({
  /** "Confirm it's you": the password or a code, good for sensitive operations during the next five minutes. */
  stepUp: protectedProcedure.input(ZStepUp).mutation(({ ctx, input }) => stepUpWithOwnPassword(ctx.db, ctx.actor, input)),
  mfa: mfaRouter,
  passwordReset: passwordResetRouter,
});
