import type { TAuditAction } from "@/server/audit/audit-actions";

// The public catalogue of webhook events (issue 15, item 6). Audit events are
// the one source: every change already records one inside its transaction, so
// a webhook can never report a change that rolled back, nor miss one that
// committed. Audit actions are internal names; these types are a contract
// with other systems, so the mapping is explicit and small, and the README's
// "## Webhooks" table lists every type (tests/unit/webhook-event-types.test.ts).

export const WEBHOOK_EVENT_TYPES = {
  "member.created": "A member was created: in the console, by onboarding, an import or a directory sync.",
  "member.updated": "A member's profile changed: the names of the changed fields, and the values of profile fields.",
  "member.password_changed": "A member changed or reset their password. Says only when: never any password data.",
  "member.activated": "A pending member became active (their start date came).",
  "member.locked": "A member was locked.",
  "member.lock_scheduled": "A lock was scheduled for a later date.",
  "member.lock_cancelled": "A scheduled lock was cancelled before it started.",
  "member.unlocked": "A member was unlocked.",
  "member.disabled": "A member was disabled.",
  "member.enabled": "A member was enabled again.",
  "member.resigned": "A member left the organisation.",
  "member.resignation_scheduled": "A member's leaving was scheduled.",
  "member.resignation_cancelled": "A scheduled leaving was cancelled.",
  "member.archived": "A member was archived.",
  "member.unarchived": "A member was unarchived.",
  "member.deleted": "A member was moved to the recycle bin.",
  "member.restored": "A member was restored from the recycle bin.",
  "member.erased": "A member was deleted permanently.",
  "access.granted": "A member was granted a role, application, policy or group directly, or gained effective access through a department, group or role.",
  "access.revoked": "A member's direct grant was revoked, or they lost effective access through a department, group or role.",
  "sign_in.locked_out": "Sign-in to an account was paused after repeated failures, or refused and the account locked after an abnormal sign-in.",
  "alert.raised": "An alert rule fired (the console's notification centre got it).",
} as const satisfies Record<string, string>;

export type TWebhookEventType = keyof typeof WEBHOOK_EVENT_TYPES;
export const WEBHOOK_EVENT_TYPE_NAMES = Object.keys(WEBHOOK_EVENT_TYPES) as [TWebhookEventType, ...TWebhookEventType[]];

/** Sent only by "Send test event", to one endpoint, whatever it subscribes to. */
export const WEBHOOK_TEST_EVENT_TYPE = "webhook.test";

/**
 * When an audit event of an action becomes a webhook event of a type: always,
 * or only when its changes say so (a conditioned rule: the SQL of that name in
 * server/audit/webhook-outbox.ts). One event can make two: an access change
 * that both gains and loses items is access.granted and access.revoked.
 */
export type TWebhookCondition = "profile_created" | "profile_updated" | "access_gained" | "access_lost" | "locked_out";
export type TWebhookRule = { type: TWebhookEventType; when?: TWebhookCondition };

export const WEBHOOK_RULES = {
  "member.created": [{ type: "member.created" }],
  "member.onboarded": [{ type: "member.created" }],
  // An import row or a directory entry writes a new member (its username from nothing) or updates one.
  "member.imported": [
    { type: "member.created", when: "profile_created" },
    { type: "member.updated", when: "profile_updated" },
  ],
  "member.synced": [
    { type: "member.created", when: "profile_created" },
    { type: "member.updated", when: "profile_updated" },
  ],
  "member.updated": [{ type: "member.updated" }],
  "member.password_changed": [{ type: "member.password_changed" }],
  "member.password_reset": [{ type: "member.password_changed" }],
  "member.activate": [{ type: "member.activated" }],
  "member.lock": [{ type: "member.locked" }],
  "member.lock_scheduled": [{ type: "member.lock_scheduled" }],
  "member.lock_cancelled": [{ type: "member.lock_cancelled" }],
  "member.unlock": [{ type: "member.unlocked" }],
  "member.disable": [{ type: "member.disabled" }],
  "member.enable": [{ type: "member.enabled" }],
  "member.resign": [{ type: "member.resigned" }],
  "member.resignation_scheduled": [{ type: "member.resignation_scheduled" }],
  "member.resignation_cancelled": [{ type: "member.resignation_cancelled" }],
  "member.archive": [{ type: "member.archived" }],
  "member.unarchive": [{ type: "member.unarchived" }],
  "member.deleted": [{ type: "member.deleted" }],
  "member.restored": [{ type: "member.restored" }],
  "member.erased": [{ type: "member.erased" }],
  // A grant to the member themself (what it names: changes.role, .application, .policy or .group)...
  "member.role_granted": [{ type: "access.granted" }],
  "member.application_granted": [{ type: "access.granted" }],
  "member.policy_granted": [{ type: "access.granted" }],
  "member.group_granted": [{ type: "access.granted" }],
  "member.role_revoked": [{ type: "access.revoked" }],
  "member.application_revoked": [{ type: "access.revoked" }],
  "member.policy_revoked": [{ type: "access.revoked" }],
  "member.group_revoked": [{ type: "access.revoked" }],
  // ...and effective access through departments, groups and roles (changes.access): one member.access_changed event per member whose access moved.
  "member.access_changed": [
    { type: "access.granted", when: "access_gained" },
    { type: "access.revoked", when: "access_lost" },
  ],
  "member.sign_in_throttled": [{ type: "sign_in.locked_out" }],
  "member.abnormal_sign_in": [{ type: "sign_in.locked_out", when: "locked_out" }],
} as const satisfies Partial<Record<TAuditAction, readonly TWebhookRule[]>>;

export function webhookRulesOf(action: TAuditAction): readonly TWebhookRule[] {
  return (WEBHOOK_RULES as Partial<Record<TAuditAction, readonly TWebhookRule[]>>)[action] ?? [];
}

/**
 * The audit changes a payload carries with their values: profile fields,
 * states and dates, names of what was gained or lost. Any other changed
 * field travels by its name only, and a name that smells of a secret not
 * even that. Never: password hashes or expiry, MFA secrets, tokens,
 * invitation links, bind passwords (none of them is an audit change value
 * either; this list is the second lock).
 */
export const WEBHOOK_VALUE_FIELDS = [
  "username",
  "firstName",
  "lastName",
  "fullName",
  "email",
  "mobile",
  "itc",
  "country",
  "landline",
  "gender",
  "title",
  "address",
  "sysAdmin",
  "state",
  "startDate",
  "reason",
  "lockEndDate",
  "hardDeleteAt",
  "sessionsEnded",
  "effectiveAccess",
  "departments",
  "applications",
  "roles",
  "policies",
  "groups",
  "role",
  "application",
  "policy",
  "group",
  "access",
  "cause",
  "until",
  "familiar",
  "outcome",
  "reasons",
] as const;

/** Field names left out of a payload altogether, values and names. */
export const WEBHOOK_SECRET_FIELD_PATTERN = "(password|secret|token|hash|mfa|totp|recovery|link|code)";
