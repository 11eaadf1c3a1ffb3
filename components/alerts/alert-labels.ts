import type { TAlertEventClass } from "@/server/audit/alertable-actions";

// What the console calls each class of alert.

export const ALERT_CLASS_LABELS: Record<string, string> & Record<TAlertEventClass, string> = {
  sensitive_grant: "Sensitive grant",
  lockout: "Lockout",
  abnormal_sign_in: "Abnormal sign-in",
  bulk_lifecycle: "Bulk lifecycle action",
  export: "Export",
  webhook_disabled: "Webhook endpoint disabled",
};

export const ALERT_CLASS_HINTS: Record<TAlertEventClass, string> = {
  sensitive_grant: "A member made admin or owner; a role or policy whose permissions match the patterns granted to a member, department or group; a role given such a policy.",
  lockout: "Sign-in to an account paused after repeated failed attempts; an account locked after an abnormal sign-in, or by its member's “this wasn't me”.",
  abnormal_sign_in: "A sign-in with the right password from a new device or at an unusual frequency (allowed or refused).",
  bulk_lifecycle: "One lifecycle action (disable, lock, resign, delete…) on at least the threshold's number of members: one alert per action.",
  export: "A member export (CSV or JSON).",
  webhook_disabled: "A webhook endpoint that failed every delivery for a day, which Tenure therefore disabled.",
};
