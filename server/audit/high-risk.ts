import { Prisma } from "@/server/db/generated/client";
import type { TAuditAction } from "@/server/audit/audit-actions";

/**
 * Sensitive operations (specification: "High-Risk Operation Flagging"):
 * changes of access and of account status, erasure, security settings and
 * anything that touches passwords. One list, used by the audit trail's flag
 * and its filter.
 */
export const HIGH_RISK_ACTIONS = [
  "member.role_granted",
  "member.role_revoked",
  "member.policy_granted",
  "member.policy_revoked",
  "member.lock",
  "member.disable",
  "member.resign",
  "member.archive",
  "member.deleted",
  "member.erased",
  "member.access_regranted",
  "member.password_changed",
  "member.password_reset",
  "member.reported_not_me",
  "member.mfa_removed",
  "member.mfa_reset",
  "role.policies_set",
  "tenant.security_policy_updated",
  "member.session_revoked",
  "member.sessions_revoked",
  "members.exported",
  // Issue 12 (alerts): an abnormal sign-in, and a rule changed or deleted (it could silence alerts).
  "member.abnormal_sign_in",
  "alert_rule.updated",
  "alert_rule.deleted",
  // Issue 13: a directory decides where members come from, how leavers go and who signs in by an LDAP bind; it holds a password.
  "directory.created",
  "directory.updated",
  "directory.deleted",
  // Issue 16: an API token lets a system outside create, change and deprovision members.
  "api_token.created",
  "api_token.revoked",
  // Issue 15: where the organisation's events go, and the secret that proves them.
  "webhook_endpoint.created",
  "webhook_endpoint.updated",
  "webhook_endpoint.deleted",
  "webhook_endpoint.secret_rotated",
  "webhook_endpoint.disabled",
  // Issue 14: where an application's tokens go, who can act as it (its secrets), what signs every token.
  "application.sign_in_enabled",
  "application.sign_in_updated",
  "application.sign_in_disabled",
  "application.client_secret_rotated",
  "application.client_secret_revoked",
  "oidc.signing_keys_rotated",
  // Issue 15: where an application's accounts are sent, with which token, and when they start following Tenure.
  "application.provisioning_updated",
  "application.provisioning_approved",
] as const satisfies readonly TAuditAction[];

/** True for a high-risk event: one of the actions above, or a profile edit that changed the system role. */
export const HIGH_RISK_SQL = Prisma.sql`(e.action = ANY(${[...HIGH_RISK_ACTIONS]}::text[]) OR (e.action = 'member.updated' AND e.changes ? 'sysAdmin'))`;
