// The one table of what asks for a recent step-up ("Confirm it's you"), and
// which mutation procedures trigger it. Services keep calling assertStepUp
// themselves (server/auth/step-up.ts): the check is the service's own. This
// table is what those calls must match: tests/integration/step-up-walker.test.ts
// calls every mutation of the app router with a session whose proof is stale
// and checks it demands a step-up exactly as written here, so a new mutation
// absent from the table, or one that forgets its check, fails the build.

/** Every sensitive operation, with what it protects (the README's list). */
export const SENSITIVE_OPERATIONS = {
  "access.grant": "Granting a role or policy to members (one, bulk, or a new account's roles at onboarding, role templates included), or a role to a department (or its subtree) or a group",
  "access.revoke": "Revoking a role or policy from a member, or a role from a department or group (or narrowing a department's grant)",
  "access.regrant": "Granting back policies a disable or resignation revoked",
  "access.role_policies": "Changing which policies a role carries",
  "access.policy_permission": "Changing the permission a policy grants (it changes what every holder and role grants)",
  "access.delete": "Deleting a role or policy (with every grant of it)",
  "member.role_change": "Making or unmaking an admin or owner (create, edit, onboarding, import rows that promote or demote)",
  "member.own_contact_change": "Changing one's own email or mobile (where reset links and codes go)",
  "member.restore": "Restoring members from the recycle bin (their roles, policies and admin rights come back)",
  "member.admin_enable": "Enabling or unlocking an admin or owner (their admin rights work again)",
  "member.hard_delete": "Deleting a member permanently",
  "member.throttle_clear": "Clearing a member's sign-in throttle (strangers may guess their password again at once)",
  "lifecycle.shorten_grace": "Shortening the recycle bin's grace period (deleted members are erased sooner)",
  "security_policy.update": "Changing the organisation's security policy",
  "self_service.settings_update": "Changing which fields members may edit themselves",
  "mfa.enrol": "Setting up two-step verification",
  "mfa.remove": "Removing one's own two-step verification, or resetting a member's",
  "mfa.recovery_codes": "Making new recovery codes",
  "directory.sync_approve": "Approving a directory sync's plan (owners only: it creates, links and deprovisions members in bulk)",
  "alerts.rules": "Creating, changing or deleting an alert rule (owners only: it could silence alerts)",
  "directories.manage": "Creating, changing or deleting an LDAP directory (owners only: it decides where members come from, how leavers are deprovisioned and who signs in by an LDAP bind)",
  "api_tokens.create": "Creating an API token (owners only: a system holding it can create, change and deprovision members)",
  "webhooks.manage": "Adding, changing, enabling, disabling or deleting a webhook endpoint, or rotating its signing secret (owners only: it decides where the organisation's events go and holds the secret that proves them)",
  "applications.sign_in": "Enabling an application's sign-in (OpenID Connect), or changing where its tokens go and what they carry: client type, redirect and logout addresses, consent, claims (owners only)",
  "applications.client_secret": "Rotating or revoking an application's client secret (owners only: whoever holds a secret can act as the application)",
  "oidc.signing_keys": "Rotating the installation's OpenID signing keys (owners only: every organisation's issuer signs with them)",
  "provisioning.manage": "Connecting an application's SCIM provisioning, changing it, or approving its first reconciliation (owners only: it sends members' data and a bearer token to that endpoint, and closes or deletes accounts there)",
} as const satisfies Record<string, string>;

export type TSensitiveOperation = keyof typeof SENSITIVE_OPERATIONS;

/** `when` says which input triggers the operation; ALWAYS: every call. */
export const ALWAYS = "always";
export type TStepUpTrigger = { operation: TSensitiveOperation; when: string };
type TNotSensitive = { notSensitive: string };
export type TMutationStepUp = { triggers: readonly TStepUpTrigger[] } | TNotSensitive;

const always = (operation: TSensitiveOperation): TStepUpTrigger => ({ operation, when: ALWAYS });
const notSensitive = (why: string): TNotSensitive => ({ notSensitive: why });

/** Every mutation procedure of the app router, by path: what it triggers, or why it is not sensitive. */
export const MUTATION_STEP_UP = {
  "setup.createFirstTenant": notSensitive("no session yet: it creates the first owner"),

  "members.create": { triggers: [{ operation: "member.role_change", when: "role is admin or owner" }] },
  "members.update": {
    triggers: [
      { operation: "member.role_change", when: "role differs from the member's current one" },
      { operation: "member.own_contact_change", when: "the actor changes their own email or mobile" },
    ],
  },

  "departments.create": notSensitive("a new department holds no grant and no member"),
  "departments.rename": notSensitive("a name grants nothing"),
  "departments.move": notSensitive("placing members applies the department grants, each stepped up when it was made; previewed and audited per member"),
  "departments.previewMove": notSensitive("a preview changes nothing: it runs the change and rolls it back"),
  "departments.delete": notSensitive("only an empty department (no members, no sub-departments) can be deleted"),
  "departments.transferMember": notSensitive("placing members applies the department grants, each stepped up when it was made; previewed and audited per member"),
  "departments.previewTransferMember": notSensitive("a preview changes nothing: it runs the change and rolls it back"),
  "departments.transferMembers": notSensitive("placing members applies the department grants, each stepped up when it was made; previewed and audited per member"),
  "departments.previewTransferMembers": notSensitive("a preview changes nothing: it runs the change and rolls it back"),
  "departments.join": notSensitive("placing members applies the department grants, each stepped up when it was made; previewed and audited per member"),
  "departments.previewJoin": notSensitive("a preview changes nothing: it runs the change and rolls it back"),
  "departments.leave": notSensitive("placing members applies the department grants, each stepped up when it was made; previewed and audited per member"),
  "departments.previewLeave": notSensitive("a preview changes nothing: it runs the change and rolls it back"),
  "departments.setMain": notSensitive("which department is the main one changes no access"),
  "departments.setHead": notSensitive("a department head gains no permission in Tenure"),

  "access.create": notSensitive("a new item reaches nobody until granted (granting asks)"),
  "access.update": { triggers: [{ operation: "access.policy_permission", when: "kind is policy and the permission changes" }] },
  "access.delete": { triggers: [{ operation: "access.delete", when: "kind is role or policy" }] },
  "access.grant": { triggers: [{ operation: "access.grant", when: "kind is role or policy" }] },
  "access.revoke": { triggers: [{ operation: "access.revoke", when: "kind is role or policy" }] },
  "access.setRolePolicies": { triggers: [always("access.role_policies")] },
  "accessGrants.change": {
    triggers: [
      { operation: "access.grant", when: "kind is role and the change grants it to a department or group, or widens a department's grant to its subtree" },
      { operation: "access.revoke", when: "kind is role and the change revokes it from a department or group, or narrows a department's grant to that department" },
    ],
  },
  "access.previewRolePolicies": notSensitive("a preview changes nothing: it runs the change and rolls it back"),

  "lifecycle.run": {
    triggers: [
      { operation: "member.restore", when: "action is restore" },
      { operation: "member.admin_enable", when: "action is enable or unlock and a chosen member is an admin or owner" },
    ],
  },
  "lifecycle.cancelLeave": notSensitive("keeps a member as they are"),
  "lifecycle.cancelLock": notSensitive("keeps a member as they are"),
  "lifecycle.revealInvitationLink": notSensitive("shows only an invitation of a member the admin has authority over, and is audited"),
  "lifecycle.hardDelete": { triggers: [always("member.hard_delete")] },
  "lifecycle.updateSettings": { triggers: [{ operation: "lifecycle.shorten_grace", when: "deletionGraceDays is shorter than the current one" }] },
  "lifecycle.regrant": { triggers: [{ operation: "access.regrant", when: "policyIds is not empty; only ids the last receipt revoked are accepted" }] },

  "imports.start": { triggers: [{ operation: "member.role_change", when: "a row makes a member admin or owner, or unmakes one" }] },
  "imports.cancel": notSensitive("stops an import: writes no member"),
  "imports.previewMapping": notSensitive("reads the start of a file: writes nothing"),
  "imports.saveMapping": notSensitive("saves how columns are read: writes no member, and the import it serves is checked and applied as any other"),
  "imports.deleteMapping": notSensitive("forgets a saved mapping: writes no member"),
  "imports.disableFromSource": notSensitive("disables members through the lifecycle, as lifecycle.run's disable does, which asks for no step-up"),

  "directorySync.start": notSensitive("reads the directory; a first sync only plans, and a run that would deprovision many stops for approval"),
  "directorySync.approve": { triggers: [always("directory.sync_approve")] },
  "directorySync.cancel": notSensitive("stops a run: applies nothing more"),

  "security.updatePolicy": { triggers: [always("security_policy.update")] },
  "security.revokeSession": notSensitive("ending a session only takes access away"),
  "security.revokeAllSessions": notSensitive("ending sessions only takes access away"),
  "security.changePassword": notSensitive("asks for the current password itself"),
  "security.clearSignInThrottle": { triggers: [always("member.throttle_clear")] },

  "onboarding.onboard": {
    triggers: [
      { operation: "member.role_change", when: "role is admin or owner" },
      { operation: "access.grant", when: "roleIds is not empty, a role template's roles included" },
    ],
  },
  "onboarding.resendInvitation": notSensitive("a new link to the member's own address"),
  "onboarding.acceptInvitation": notSensitive("public: the invitation token is the credential"),

  "roleTemplates.create": notSensitive("a template grants nothing; onboarding with its roles asks"),
  "roleTemplates.update": notSensitive("a template grants nothing; onboarding with its roles asks"),
  "roleTemplates.delete": notSensitive("a template grants nothing"),

  "auth.stepUp": notSensitive("it is the proof"),
  "auth.mfa.start": { triggers: [always("mfa.enrol")] },
  "auth.mfa.confirm": notSensitive("proves a code of the authenticator that mfa.start (sensitive) began"),
  "auth.mfa.remove": { triggers: [always("mfa.remove")] },
  "auth.mfa.regenerateRecoveryCodes": { triggers: [always("mfa.recovery_codes")] },
  "auth.mfa.resetForMember": { triggers: [always("mfa.remove")] },
  "auth.passwordReset.request": notSensitive("public: sends a link to the member's own address"),
  "auth.passwordReset.reset": notSensitive("public: the reset token is the credential"),

  "selfService.updateProfile": { triggers: [{ operation: "member.own_contact_change", when: "email or mobile changes" }] },
  "selfService.revokeSession": notSensitive("ending a session only takes access away"),
  "selfService.revokeOtherSessions": notSensitive("ending sessions only takes access away"),
  "selfService.reportNotMe": notSensitive("ends sessions and flags the sign-in: only takes access away"),
  "selfService.updateSettings": { triggers: [always("self_service.settings_update")] },

  "alerts.createRule": { triggers: [always("alerts.rules")] },
  "alerts.updateRule": { triggers: [always("alerts.rules")] },
  "alerts.deleteRule": { triggers: [always("alerts.rules")] },
  "alerts.markRead": notSensitive("marks one of the caller's own notifications as read"),
  "alerts.markAllRead": notSensitive("marks the caller's own notifications as read"),

  "apiTokens.create": { triggers: [always("api_tokens.create")] },
  "scim.updateSettings": notSensitive("chooses which lifecycle action a SCIM client's DELETE takes (disable, resign or the recycle bin: each reversible, with a receipt) and whether its departments are created; admins may take those actions themselves"),
  "apiTokens.revoke": notSensitive("revoking only takes access away: any admin may cut off a token at once"),

  "directories.create": { triggers: [always("directories.manage")] },
  "directories.update": { triggers: [always("directories.manage")] },
  "directories.delete": { triggers: [always("directories.manage")] },
  "directories.testConnection": notSensitive("reads from the directory and changes nothing; unsaved settings are owners' only, and rate-limited"),
  "directories.preview": notSensitive("reads 20 entries from the directory and changes nothing; unsaved settings are owners' only, and rate-limited"),

  "webhooks.create": { triggers: [always("webhooks.manage")] },
  "webhooks.update": { triggers: [always("webhooks.manage")] },
  "webhooks.delete": { triggers: [always("webhooks.manage")] },
  "webhooks.setEnabled": { triggers: [always("webhooks.manage")] },
  "webhooks.rotateSecret": { triggers: [always("webhooks.manage")] },
  "webhooks.sendTest": notSensitive("sends a fixed test event to an endpoint an owner set up; rate-limited per organisation"),
  "webhooks.replay": notSensitive("sends again a message the endpoint was already sent (same webhook-id); rate-limited per organisation and audited"),
  "applicationSignIn.enable": { triggers: [always("applications.sign_in")] },
  "applicationSignIn.update": { triggers: [{ operation: "applications.sign_in", when: "anything but the token lifetimes changes" }] },
  "applicationSignIn.disable": notSensitive("only takes access away: nobody signs in to the application any more (owners only)"),
  "applicationSignIn.rotateSecret": { triggers: [always("applications.client_secret")] },
  "applicationSignIn.revokeSecret": { triggers: [always("applications.client_secret")] },
  "signingKeys.rotate": { triggers: [always("oidc.signing_keys")] },
  "applicationMembers.endSession": notSensitive("ending a member's session at an application only takes access away"),
  "myApplications.endSession": notSensitive("ending one's own session at an application only takes access away"),
  "provisioning.save": { triggers: [always("provisioning.manage")] },
  "provisioning.approve": { triggers: [always("provisioning.manage")] },
  "provisioning.testConnection": notSensitive("reads the application's ServiceProviderConfig with the saved settings and changes nothing; rate-limited"),
  "provisioning.startReconciliation": notSensitive("a dry run only reads the application; a fixing run applies Tenure's own rules to an application an owner approved"),
  "provisioning.retryDeadLetter": notSensitive("sends again what Tenure wants for the member now; nothing the admin chooses"),
} as const satisfies Record<string, TMutationStepUp>;

export type TMutationPath = keyof typeof MUTATION_STEP_UP;
