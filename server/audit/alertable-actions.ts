import { LIFECYCLE_AUDIT_ACTIONS, type TAuditAction } from "@/server/audit/audit-actions";

// The audit actions that can raise an alert (issue 12, item 8), by the class
// of alert a rule chooses. recordAuditEvent enqueues the alerts__deliver job,
// in the event's own transaction, for these actions only; the job decides
// from the rules (and, for grants, the policies) whether anyone is alerted.

export const ALERT_EVENT_CLASSES = ["sensitive_grant", "lockout", "abnormal_sign_in", "bulk_lifecycle", "export", "webhook_disabled"] as const;
export type TAlertEventClass = (typeof ALERT_EVENT_CLASSES)[number];

/** A system level raised to admin or owner, or a role or policy granted (to a member, department or group), or a role widened. */
export const SENSITIVE_GRANT_ACTIONS = [
  "member.created",
  "member.onboarded",
  "member.imported",
  "member.updated",
  "member.role_granted",
  "member.policy_granted",
  "department.role_granted",
  // Only when it widens a department's role to its whole subtree (alert-facts.ts reads which).
  "department.role_scope_changed",
  "group.role_granted",
  "role.policies_set",
] as const satisfies readonly TAuditAction[];

/** Lifecycle actions that a bulk action records once per member, in one statement. */
export const BULK_LIFECYCLE_ACTIONS = LIFECYCLE_AUDIT_ACTIONS;

export const ALERTABLE_ACTIONS: ReadonlySet<TAuditAction> = new Set<TAuditAction>([
  ...SENSITIVE_GRANT_ACTIONS,
  ...BULK_LIFECYCLE_ACTIONS,
  "member.sign_in_throttled",
  "member.abnormal_sign_in",
  "member.reported_not_me",
  "members.exported",
  // Issue 15: a webhook endpoint Tenure disabled after a day of failures.
  "webhook_endpoint.auto_disabled",
]);

const SYSTEM_LEVEL_RAISES = new Set<TAuditAction>(["member.created", "member.onboarded", "member.imported", "member.updated"]);
const BULK = new Set<TAuditAction>(BULK_LIFECYCLE_ACTIONS);

/** A system level (changes.sysAdmin) that ends at admin or above and is higher than before. */
export function raisesSystemLevel(changes: Record<string, { before: unknown; after: unknown } | undefined>): boolean {
  const level = changes.sysAdmin;
  if (!level || typeof level.after !== "number") return false;
  const before = typeof level.before === "number" ? level.before : 0;
  return level.after >= 1 && level.after > before;
}

/**
 * Whether recording these events (one action, the changes of each target)
 * must enqueue the alert job: a cheap filter so that an ordinary profile edit
 * or a single member's lock costs no job.
 */
export function needsAlertJob(action: TAuditAction, changesOfEach: readonly Record<string, { before: unknown; after: unknown } | undefined>[]): boolean {
  if (!ALERTABLE_ACTIONS.has(action) || changesOfEach.length === 0) return false;
  if (SYSTEM_LEVEL_RAISES.has(action)) return changesOfEach.some(raisesSystemLevel);
  if (BULK.has(action)) return changesOfEach.length >= 2;
  return true;
}
