import { adminProcedure, router } from "@/server/trpc/init";
import { ZNoInput } from "@/server/trpc/no-input";
import { ZAlertRuleId, ZAlertRuleInput, ZAlertRuleUpdate, ZNotificationId, ZNotificationList } from "@/server/alerts/schemas";
import { countUnreadNotifications, listNotifications } from "@/server/alerts/list-notifications";
import { markAllNotificationsRead, markNotificationRead } from "@/server/alerts/mark-notifications-read";
import { createAlertRule, deleteAlertRule, listAlertRecipientCandidates, listAlertRules, updateAlertRule } from "@/server/alerts/manage-alert-rules";

// Notifications are the caller's own (every admin sees only theirs); rules are
// read by admins and changed by owners (the services check).
export const alertsRouter = router({
  unreadCount: adminProcedure.input(ZNoInput).query(({ ctx }) => countUnreadNotifications(ctx.db, ctx.session.tenant.id, ctx.session.member.id)),
  notifications: adminProcedure.input(ZNotificationList).query(({ ctx, input }) => listNotifications(ctx.db, ctx.session.tenant.id, ctx.session.member.id, input)),
  markRead: adminProcedure.input(ZNotificationId).mutation(({ ctx, input }) => markNotificationRead(ctx.db, ctx.session.tenant.id, ctx.session.member.id, input)),
  markAllRead: adminProcedure.input(ZNoInput).mutation(({ ctx }) => markAllNotificationsRead(ctx.db, ctx.session.tenant.id, ctx.session.member.id)),
  rules: adminProcedure.input(ZNoInput).query(({ ctx }) => listAlertRules(ctx.db, ctx.session.tenant.id)),
  recipientCandidates: adminProcedure.input(ZNoInput).query(({ ctx }) => listAlertRecipientCandidates(ctx.db, ctx.session.tenant.id)),
  createRule: adminProcedure.input(ZAlertRuleInput).mutation(({ ctx, input }) => createAlertRule(ctx.db, ctx.actor, input)),
  updateRule: adminProcedure.input(ZAlertRuleUpdate).mutation(({ ctx, input }) => updateAlertRule(ctx.db, ctx.actor, input)),
  deleteRule: adminProcedure.input(ZAlertRuleId).mutation(({ ctx, input }) => deleteAlertRule(ctx.db, ctx.actor, input)),
});
