import { publicProcedure, router } from "@/server/trpc/init";
import { requestPasswordReset } from "@/server/auth/forgot-password";
import { findOpenPasswordReset, resetPassword } from "@/server/auth/forgot-password-reset";
import { ZForgotPassword, ZPasswordResetLookup, ZResetPassword } from "@/server/auth/forgot-password-schemas";
import { getSecurityPolicy } from "@/server/auth/security-policy";

// Public: the organisation and login (the request) or the link's token (the reset) are all there is.
export const passwordResetRouter = router({
  request: publicProcedure.input(ZForgotPassword).mutation(({ ctx, input }) => requestPasswordReset(ctx.db, input, ctx.client)),
  /** What the reset page shows: only what the member needs to recognise the link, or null for any unusable one. */
  link: publicProcedure.input(ZPasswordResetLookup).query(async ({ ctx, input }) => {
    const reset = await findOpenPasswordReset(ctx.db, input.token);
    if (!reset) return null;
    const policy = await getSecurityPolicy(ctx.db, reset.tenantId);
    return { organisation: reset.organisation, username: reset.username, passwordMinLength: policy.passwordMinLength, historyCount: policy.passwordHistoryCount };
  }),
  reset: publicProcedure.input(ZResetPassword).mutation(({ ctx, input }) => resetPassword(ctx.db, ctx.client, input)),
});
