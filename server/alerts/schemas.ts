import { z } from "zod";
import { ALERT_EVENT_CLASSES } from "@/server/audit/alertable-actions";
import { ZEntityId } from "@/server/ids";
import { zLine } from "@/server/validation/text";

// One schema per input, shared by the settings form and the procedures. Pure:
// client components import it.

export const ZAlertEventClass = z.enum(ALERT_EVENT_CLASSES);

export const ZPolicyPattern = zLine()
  .toLowerCase()
  .max(100, "At most 100 characters")
  .regex(/^(\*|[a-z0-9_.-]+):(\*|[a-z0-9_.*-]+)$/, "Write it as resource:action, with * for anything, e.g. members:* or *:*");

export const MAX_NAMED_RECIPIENTS = 50;
export const MAX_PATTERNS = 50;

const ruleFields = {
  eventClass: ZAlertEventClass,
  notifyOwners: z.boolean(),
  notifyAdmins: z.boolean(),
  /** Named admins (the notification centre is in the console). */
  memberIds: z.array(ZEntityId("Unknown member")).max(MAX_NAMED_RECIPIENTS, `At most ${MAX_NAMED_RECIPIENTS} named members`),
  byConsole: z.boolean(),
  byMail: z.boolean(),
  /** sensitive_grant only: which granted permissions alert. A raise to admin or owner always does. */
  policyPatterns: z.array(ZPolicyPattern).max(MAX_PATTERNS, `At most ${MAX_PATTERNS} patterns`),
  /** bulk_lifecycle only: the smallest number of members one action must reach. */
  threshold: z.coerce.number<number>().int("A whole number").min(2, "At least 2").max(1_000_000, "At most 1,000,000"),
  enabled: z.boolean(),
};

const checkRule = (rule: { byConsole: boolean; byMail: boolean; notifyOwners: boolean; notifyAdmins: boolean; memberIds: string[] }, context: z.RefinementCtx) => {
  if (!rule.byConsole && !rule.byMail) context.addIssue({ code: "custom", path: ["byMail"], message: "Choose the console, mail or both" });
  if (!rule.notifyOwners && !rule.notifyAdmins && rule.memberIds.length === 0) {
    context.addIssue({ code: "custom", path: ["notifyOwners"], message: "Choose who is alerted: owners, admins or named members" });
  }
};

export const ZAlertRuleInput = z.strictObject(ruleFields).superRefine(checkRule);
export type TAlertRuleInput = z.input<typeof ZAlertRuleInput>;

export const ZAlertRuleUpdate = z.strictObject({ ruleId: ZEntityId("Unknown rule"), ...ruleFields }).superRefine(checkRule);
export type TAlertRuleUpdate = z.input<typeof ZAlertRuleUpdate>;

export const ZAlertRuleId = z.strictObject({ ruleId: ZEntityId("Unknown rule") });

// A plain object: infinite queries add fields of their own (direction).
export const ZNotificationList = z.object({
  cursor: zLine().max(200).nullish(),
  limit: z.number().int().min(1).max(100).default(25),
  unreadOnly: z.boolean().default(false),
});
export type TNotificationListInput = z.input<typeof ZNotificationList>;

export const ZNotificationId = z.strictObject({ notificationId: ZEntityId("Unknown notification") });
