// Every kind of audit event the server writes: recordAuditEvent accepts only
// these, so a new kind is added here first, and the test that every kind has
// words an admin reads (tests/unit/audit-words.test.ts) then asks for its words.

const CATALOG_KINDS = ["role", "group", "application", "policy"] as const;
const catalogActions = CATALOG_KINDS.flatMap((kind) => [`${kind}.created`, `${kind}.updated`, `${kind}.deleted`] as const);
// Roles and applications granted to a department (optionally its subtree) or a group (issue 12).
const inheritedGrantActions = (["department", "group"] as const).flatMap((holder) =>
  (["role", "application"] as const).flatMap((kind) => [`${holder}.${kind}_granted`, `${holder}.${kind}_revoked`] as const),
);
const grantActions = CATALOG_KINDS.flatMap((kind) => [`member.${kind}_granted`, `member.${kind}_revoked`] as const);

/** The lifecycle's actions on members, which a bulk action records once per member (alerts count them: alertable-actions.ts). */
export const LIFECYCLE_AUDIT_ACTIONS = [
  "member.activate",
  "member.lock",
  "member.lock_scheduled",
  "member.lock_cancelled",
  "member.unlock",
  "member.disable",
  "member.enable",
  "member.resign",
  "member.resignation_scheduled",
  "member.resignation_cancelled",
  "member.archive",
  "member.unarchive",
  "member.deleted",
  "member.restored",
  "member.erased",
] as const;

export const AUDIT_ACTIONS = [
  "member.created",
  "member.updated",
  "member.onboarded",
  "member.imported",
  // The directory sync (issue 13): a member written from an LDAP entry; a run requested, approved, cancelled.
  "member.synced",
  "member.group_synced",
  "directory.sync_requested",
  "directory.sync_approved",
  "directory.sync_cancelled",
  "member.invitation_sent",
  "member.invitation_accepted",
  "member.invitation_link_revealed",
  "member.transferred",
  "member.department_joined",
  "member.department_left",
  "member.main_department_set",
  "member.department_head_set",
  "member.department_head_unset",
  ...grantActions,
  "member.access_regranted",
  "member.access_changed",
  ...inheritedGrantActions,
  "department.role_scope_changed",
  "department.application_scope_changed",
  ...LIFECYCLE_AUDIT_ACTIONS,
  "member.password_changed",
  "member.password_reset_requested",
  "member.password_reset",
  "member.mfa_enabled",
  "member.mfa_removed",
  "member.mfa_reset",
  "member.mfa_recovery_codes_regenerated",
  "member.session_revoked",
  "member.sessions_revoked",
  "member.own_session_ended",
  "member.own_sessions_ended",
  "member.reported_not_me",
  "member.sign_in_throttle_cleared",
  // Written by sign-in itself (issue 12, alerts): a throttle that started, an abnormal sign-in.
  "member.sign_in_throttled",
  "member.abnormal_sign_in",
  // Sign-ins to an application through Tenure's OpenID issuer (issue 14): completed, or refused for want of the application.
  "application.signed_in",
  "application.sign_in_refused",
  // "End session" at one application: an admin for a member, or the member themself (issue 14 item 5).
  "application.session_ended",
  "member.application_session_ended",
  "members.exported",
  "members.import_applied",
  "members.import_cancelled",
  "members.import_mapping_saved",
  "members.import_mapping_deleted",
  "department.created",
  "department.renamed",
  "department.moved",
  "department.deleted",
  ...catalogActions,
  "role.policies_set",
  "role_template.created",
  "role_template.updated",
  "role_template.deleted",
  "alert_rule.created",
  "alert_rule.updated",
  "alert_rule.deleted",
  "directory.created",
  "directory.updated",
  "directory.deleted",
  "api_token.created",
  "api_token.revoked",
  // Signed webhooks (issue 15, item 6): an endpoint's settings, its secret, its state (Tenure disables one that keeps failing), a replay.
  "webhook_endpoint.created",
  "webhook_endpoint.updated",
  "webhook_endpoint.deleted",
  "webhook_endpoint.secret_rotated",
  "webhook_endpoint.enabled",
  "webhook_endpoint.disabled",
  "webhook_endpoint.auto_disabled",
  "webhook_delivery.replayed",
  // Issue 14: an application's sign-in (OpenID Connect) settings and secrets; the installation's signing keys.
  "application.sign_in_enabled",
  "application.sign_in_updated",
  "application.sign_in_disabled",
  "application.client_secret_rotated",
  "application.client_secret_revoked",
  "oidc.signing_keys_rotated",
  // Issue 15: an application's SCIM provisioning connected or changed, and its first reconciliation approved (accounts follow from then on).
  "application.provisioning_updated",
  "application.provisioning_approved",
  "scim.settings_updated",
  "tenant.created",
  "tenant.lifecycle_settings_changed",
  "tenant.security_policy_updated",
  "tenant.self_service_settings_updated",
] as const;
export type TAuditAction = (typeof AUDIT_ACTIONS)[number];
