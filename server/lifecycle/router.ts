import { ZNoInput } from "@/server/trpc/no-input";
import { adminProcedure, router } from "@/server/trpc/init";
import { ZMemberId } from "@/server/ids";
import { getMemberLifecycle } from "@/server/lifecycle/get-member-lifecycle";
import { hardDeleteMember } from "@/server/lifecycle/hard-delete-members";
import { getLifecycleSettings, updateLifecycleSettings } from "@/server/lifecycle/lifecycle-settings";
import { listRecycleBin } from "@/server/lifecycle/list-recycle-bin";
import { previewOffboarding } from "@/server/lifecycle/preview-offboarding";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { cancelScheduledLeave } from "@/server/lifecycle/schedule-leave";
import { cancelScheduledLock } from "@/server/lifecycle/schedule-lock";
import { ZCancelLeaveInput, ZHardDeleteInput, ZLifecycleActionInput, ZLifecycleSettingsInput, ZOffboardingPreviewInput, ZRecycleBinInput } from "@/server/lifecycle/schemas";
import { listOutbox, ZOutboxInput } from "@/server/mail/list-outbox";
import { revealInvitationLink, ZRevealInvitationLink } from "@/server/mail/reveal-invitation-link";
import { regrant, regrantSuggestions, ZRegrantInput } from "@/server/lifecycle/regrant-suggestions";

export const lifecycleRouter = router({
  ofMember: adminProcedure.input(ZMemberId).query(({ ctx, input }) => getMemberLifecycle(ctx.db, ctx.session.tenant.id, BigInt(input.memberId), ctx.actor)),
  run: adminProcedure.input(ZLifecycleActionInput).mutation(({ ctx, input }) => runLifecycleAction(ctx.db, ctx.actor, input)),
  preview: adminProcedure.input(ZOffboardingPreviewInput).query(({ ctx, input }) => previewOffboarding(ctx.db, ctx.actor, input)),
  cancelLeave: adminProcedure.input(ZCancelLeaveInput).mutation(({ ctx, input }) => cancelScheduledLeave(ctx.db, ctx.actor, BigInt(input.memberId))),
  cancelLock: adminProcedure.input(ZMemberId).mutation(({ ctx, input }) => cancelScheduledLock(ctx.db, ctx.actor, BigInt(input.memberId))),
  hardDelete: adminProcedure.input(ZHardDeleteInput).mutation(({ ctx, input }) => hardDeleteMember(ctx.db, ctx.actor, input)),
  recycleBin: adminProcedure.input(ZRecycleBinInput).query(({ ctx, input }) => listRecycleBin(ctx.db, ctx.session.tenant.id, input)),
  settings: adminProcedure.input(ZNoInput).query(({ ctx }) => getLifecycleSettings(ctx.db, ctx.session.tenant.id)),
  updateSettings: adminProcedure.input(ZLifecycleSettingsInput).mutation(({ ctx, input }) => updateLifecycleSettings(ctx.db, ctx.actor, input)),
  regrantSuggestions: adminProcedure.input(ZMemberId).query(({ ctx, input }) => regrantSuggestions(ctx.db, ctx.session.tenant.id, BigInt(input.memberId))),
  regrant: adminProcedure.input(ZRegrantInput).mutation(({ ctx, input }) => regrant(ctx.db, ctx.actor, input)),
  outbox: adminProcedure.input(ZOutboxInput).query(({ ctx, input }) => listOutbox(ctx.db, ctx.actor, input)),
  revealInvitationLink: adminProcedure.input(ZRevealInvitationLink).mutation(({ ctx, input }) => revealInvitationLink(ctx.db, ctx.actor, input)),
});
