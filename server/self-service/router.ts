import { ZNoInput } from "@/server/trpc/no-input";
import { adminProcedure, protectedProcedure, router } from "@/server/trpc/init";
import { listMySessions, revokeMyOtherSessions, revokeMySession } from "@/server/self-service/my-sessions";
import { reportNotMe } from "@/server/self-service/report-not-me";
import { getSelfServiceSettings, updateSelfServiceSettings } from "@/server/self-service/self-service-settings";
import { updateOwnProfile } from "@/server/self-service/update-own-profile";
import { ZMySession, ZMySessionsInput, ZOwnProfileUpdate, ZReportNotMe, ZSelfServiceSettings } from "@/server/self-service/schemas";

export const selfServiceRouter = router({
  /** Which own fields the signed-in member may edit (the profile page reads the record itself from me.get). */
  editableFields: protectedProcedure.input(ZNoInput).query(async ({ ctx }) => (await getSelfServiceSettings(ctx.db, ctx.session.tenant.id)).editableFields),
  updateProfile: protectedProcedure.input(ZOwnProfileUpdate).mutation(({ ctx, input }) => updateOwnProfile(ctx.db, ctx.actor, input)),
  sessions: protectedProcedure.input(ZMySessionsInput).query(({ ctx, input }) => listMySessions(ctx.db, ctx.actor, input)),
  revokeSession: protectedProcedure.input(ZMySession).mutation(({ ctx, input }) => revokeMySession(ctx.db, ctx.actor, input)),
  revokeOtherSessions: protectedProcedure.input(ZNoInput).mutation(({ ctx }) => revokeMyOtherSessions(ctx.db, ctx.actor)),
  reportNotMe: protectedProcedure.input(ZReportNotMe).mutation(({ ctx, input }) => reportNotMe(ctx.db, ctx.actor, input)),
  /** Console → Settings: the organisation's choice of self-editable fields. */
  settings: adminProcedure.input(ZNoInput).query(({ ctx }) => getSelfServiceSettings(ctx.db, ctx.session.tenant.id)),
  updateSettings: adminProcedure.input(ZSelfServiceSettings).mutation(({ ctx, input }) => updateSelfServiceSettings(ctx.db, ctx.actor, input)),
});
