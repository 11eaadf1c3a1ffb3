import { ZNoInput } from "@/server/trpc/no-input";
import { adminProcedure, protectedProcedure, router } from "@/server/trpc/init";
import { changePassword } from "@/server/auth/change-password";
import { listLoginHistory } from "@/server/auth/login-history";
import { listMemberSessions, revokeAllMemberSessions, revokeMemberSession } from "@/server/auth/member-sessions";
import {
  ZChangePassword,
  ZLoginHistoryInput,
  ZMemberSessionsInput,
  ZMyLoginHistoryInput,
  ZRevokeMemberSession,
  ZRevokeMemberSessions,
  ZSignInThrottleInput,
} from "@/server/auth/schemas";
import { getSecurityPolicy, updateSecurityPolicy } from "@/server/auth/security-policy";
import { clearSignInThrottle, readSignInThrottle } from "@/server/auth/sign-in-throttle";
import { ZSecurityPolicy } from "@/server/auth/security-policy-schemas";

export const securityRouter = router({
  policy: adminProcedure.input(ZNoInput).query(({ ctx }) => getSecurityPolicy(ctx.db, ctx.session.tenant.id)),
  updatePolicy: adminProcedure
    .input(ZSecurityPolicy)
    .mutation(({ ctx, input }) => updateSecurityPolicy(ctx.db, { ...ctx.actor, sessionId: ctx.session.sessionId }, input)),
  /** What a new password must satisfy here, for the forms that set one. */
  passwordRules: protectedProcedure.input(ZNoInput).query(async ({ ctx }) => {
    const policy = await getSecurityPolicy(ctx.db, ctx.session.tenant.id);
    return { minLength: policy.passwordMinLength, historyCount: policy.passwordHistoryCount, expiryDays: policy.passwordExpiryDays };
  }),
  memberSessions: adminProcedure
    .input(ZMemberSessionsInput)
    .query(({ ctx, input }) => listMemberSessions(ctx.db, ctx.session.tenant.id, ctx.session.sessionId, input)),
  revokeSession: adminProcedure.input(ZRevokeMemberSession).mutation(({ ctx, input }) => revokeMemberSession(ctx.db, ctx.actor, input)),
  revokeAllSessions: adminProcedure.input(ZRevokeMemberSessions).mutation(({ ctx, input }) => revokeAllMemberSessions(ctx.db, ctx.actor, input)),
  loginHistory: adminProcedure
    .input(ZLoginHistoryInput)
    .query(({ ctx, input }) => listLoginHistory(ctx.db, ctx.session.tenant.id, { ...input, memberId: BigInt(input.memberId) })),
  /** The signed-in member's own sign-in history (self-service shows it). */
  myLoginHistory: protectedProcedure
    .input(ZMyLoginHistoryInput)
    .query(({ ctx, input }) => listLoginHistory(ctx.db, ctx.session.tenant.id, { ...input, memberId: ctx.session.member.id, currentSessionId: ctx.session.sessionId })),
  /** Whether sign-in to a member's account is throttled after failed attempts (not a lock: their sessions go on). */
  signInThrottle: adminProcedure
    .input(ZSignInThrottleInput)
    .query(({ ctx, input }) => readSignInThrottle(ctx.db, ctx.session.tenant.id, BigInt(input.memberId))),
  clearSignInThrottle: adminProcedure
    .input(ZSignInThrottleInput)
    .mutation(({ ctx, input }) => clearSignInThrottle(ctx.db, ctx.actor, { memberId: BigInt(input.memberId) })),
  mySignInThrottle: protectedProcedure.input(ZNoInput).query(({ ctx }) => readSignInThrottle(ctx.db, ctx.session.tenant.id, ctx.session.member.id)),
  /** The signed-in member changes their password (self-service); the forced change after sign-in uses its own page. */
  changePassword: protectedProcedure
    .input(ZChangePassword)
    .mutation(({ ctx, input }) => changePassword(ctx.db, { ...ctx.actor, sessionId: ctx.session.sessionId }, input)),
});
