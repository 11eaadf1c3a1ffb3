import { adminProcedure, protectedProcedure, router } from "@/server/trpc/init";
import { ZNoInput } from "@/server/trpc/no-input";
import { ZApplicationListInput, ZEndApplicationSession, ZEndMyApplicationSession } from "@/server/application-members/schemas";
import { listApplicationSignIns } from "@/server/application-members/list-application-sign-ins";
import { listLiveApplicationSessions } from "@/server/application-members/list-live-application-sessions";
import { endApplicationSession, endMyApplicationSession } from "@/server/application-members/end-application-session";
import { listMyApplications } from "@/server/application-members/list-my-applications";
import { listLogoutDeliveries } from "@/server/application-sessions/list-logout-deliveries";
import { findSignInApplication } from "@/server/application-members/find-sign-in-application";

// An application's page (admins): live sessions, recent sign-ins and
// back-channel logouts; who can sign in is access.whoHas for the application.
export const applicationMembersRouter = router({
  liveSessions: adminProcedure.input(ZApplicationListInput).query(({ ctx, input }) => listLiveApplicationSessions(ctx.db, ctx.session.tenant.id, input)),
  signIns: adminProcedure.input(ZApplicationListInput).query(({ ctx, input }) => listApplicationSignIns(ctx.db, ctx.session.tenant.id, input)),
  logoutDeliveries: adminProcedure.input(ZApplicationListInput).query(async ({ ctx, input }) => {
    const application = await findSignInApplication(ctx.db, ctx.session.tenant.id, BigInt(input.applicationId));
    return listLogoutDeliveries(ctx.db, ctx.session.tenant.id, application.id, { limit: input.limit, cursor: input.cursor });
  }),
  endSession: adminProcedure.input(ZEndApplicationSession).mutation(({ ctx, input }) => endApplicationSession(ctx.db, ctx.actor, input)),
});

// /me: the member's own applications, and ending their own session at one.
export const myApplicationsRouter = router({
  list: protectedProcedure.input(ZNoInput).query(({ ctx }) => listMyApplications(ctx.db, ctx.session.tenant.id, ctx.session.member.id)),
  endSession: protectedProcedure.input(ZEndMyApplicationSession).mutation(({ ctx, input }) => endMyApplicationSession(ctx.db, ctx.actor, input)),
});
