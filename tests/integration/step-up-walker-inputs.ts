import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { db } from "@/server/db/client";
import { createCatalogItem } from "@/server/access/manage-catalog";
import { createSession } from "@/server/auth/sessions";
import { totpCode } from "@/server/auth/mfa/totp";
import { DEFAULT_SECURITY_POLICY } from "@/server/auth/security-policy-schemas";
import type { TMutationPath, TSensitiveOperation } from "@/server/auth/sensitive-operations";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { validFirstTenantInput } from "../support/inputs";
import { createMember, createSignedInMember, createTenant, TEST_PASSWORD, uniqueMobile } from "../support/factories";
import { sessionCookieFor } from "../support/session-cookie";
import { PRESETS } from "@/server/directories/attribute-mapping";
import { sealBindPassword } from "@/server/directories/load-directory";
import { createDirectory, createSyncRun } from "../support/directories";
import { csv, HEADER, memberRow, runDueJobs, upload } from "./member-import-helpers";
import { MAPPING_HEADER } from "@/server/imports/mapping-header";
import type { TImportMappingInput } from "@/server/imports/mapping-schemas";
import { createWebhookEndpointRow } from "../support/webhooks";
import { enableSignInFor, signInSettingsInput, signInVersion } from "../support/application-sign-in";
import { connectedApplication, scimSettingsInput } from "../support/provisioning";
import { createOidcApplication, createProviderSession } from "../support/oidc-sessions";

// For the step-up walker (step-up-walker.test.ts): per mutation procedure, an
// input that triggers each sensitive operation the table names, and (unless
// every call is sensitive) an input that triggers none. Every input is a real
// one that succeeds once the session has stepped up, so "not sensitive" is
// proved on the path that changes something, not on an early refusal.

const client = { ipAddress: "198.51.100.31", userAgent: "vitest" };
type TCaller = ReturnType<typeof createCaller>;

export type TWalkerScene = Awaited<ReturnType<typeof walkerScene>>;

/** A tenant, its owner signed in (the caller), a plain member in a department holding one of everything, another admin. */
export async function walkerScene() {
  const tenant = await createTenant();
  const { member: owner, sessionId } = await createSignedInMember(tenant.id, { role: "owner" });
  const caller = createCaller(await createContextForSessionId(sessionId, client));
  const actor = { tenantId: tenant.id, memberId: owner.id };
  const role = await createCatalogItem(db(), actor, { kind: "role", name: "Support" });
  const policy = await createCatalogItem(db(), actor, { kind: "policy", name: "Read tickets", permission: "tickets:read" });
  const group = await createCatalogItem(db(), actor, { kind: "group", name: "London" });
  const application = await createCatalogItem(db(), actor, { kind: "application", name: "Payroll" });
  const department = await db().department.create({ data: { tenantId: tenant.id, name: "Engineering" } });
  const otherDepartment = await db().department.create({ data: { tenantId: tenant.id, name: "Sales" } });
  const { member, sessionId: memberSessionId } = await createSignedInMember(tenant.id);
  await db().departmentMember.create({ data: { departmentId: department.id, userId: member.id } });
  await db().user.update({ where: { id: member.id }, data: { mainDepartmentId: department.id } });
  await db().memberRole.create({ data: { userId: member.id, roleId: role.id } });
  await db().memberPolicy.create({ data: { userId: member.id, policyId: policy.id } });
  await db().memberGroup.create({ data: { userId: member.id, groupId: group.id } });
  await db().memberApplication.create({ data: { userId: member.id, applicationId: application.id } });
  const admin = await createMember(tenant.id, { role: "admin" });
  const memberCaller = createCaller(await createContextForSessionId(memberSessionId, client));
  return { tenant, owner, sessionId, caller, role, policy, group, application, department, otherDepartment, member, memberSessionId, memberCaller, admin };
}

/** The call to make: its input, optionally another caller, and the refusal to expect instead of success. */
export type TCall = { input: unknown; caller?: TCaller; refusal?: TRPC_ERROR_CODE_KEY };
export type TInputFactory = (scene: TWalkerScene) => Promise<TCall> | TCall;
export type TProcedureInputs = { calm?: TInputFactory; triggers?: Partial<Record<TSensitiveOperation, TInputFactory[]>> };

const id = (value: { id: bigint }) => value.id.toString();
let sequence = 0;
const unique = (prefix: string) => `${prefix}${++sequence}`;

const alertRule = () => ({
  eventClass: "export" as const,
  notifyOwners: true,
  notifyAdmins: false,
  memberIds: [],
  byConsole: true,
  byMail: false,
  policyPatterns: [],
  threshold: 10,
  enabled: true,
});
/** Every organisation starts with its default alert rules. */
const someAlertRule = async (scene: TWalkerScene) => (await db().alertRule.findFirstOrThrow({ where: { tenantId: scene.tenant.id } })).id.toString();
async function ownNotification(scene: TWalkerScene) {
  const event = await db().auditEvent.create({ data: { tenantId: scene.tenant.id, action: "members.exported", targetType: "tenant", targetId: scene.tenant.id } });
  const notification = await db().notification.create({
    data: { tenantId: scene.tenant.id, recipientId: scene.owner.id, auditEventId: event.id, eventClass: "export", title: "Walker", body: "Walker" },
  });
  return notification.id.toString();
}

/** A directory's settings, pointing at a port nothing listens on (tests and previews answer "nothing answers"). */
const directorySettings = () => ({
  name: unique("Walker directory "),
  preset: "openldap" as const,
  url: "ldap://127.0.0.1:1",
  startTls: false,
  caCertificate: null,
  bindDn: "cn=reader,dc=example,dc=org",
  bindPassword: "reader-secret",
  baseDn: "dc=example,dc=org",
  userFilter: "(objectClass=inetOrgPerson)",
  pageSize: 500,
  syncIntervalMinutes: null,
  attributeMapping: PRESETS.openldap.mapping,
  departmentSource: "none" as const,
  departmentAttribute: null,
  departmentParentId: null,
  groupBaseDn: null,
  groupFilter: null,
  linkExistingBy: "username" as const,
  deprovisionAction: "disable" as const,
  reenableReturning: true,
  safetyStopPercent: 10,
  signInByBind: false,
});
/** A sign-in application where the scene's member has a provider session (tokens to end). */
async function memberSignedInAtApplication(scene: TWalkerScene): Promise<string> {
  const application = await createOidcApplication(scene.tenant.id);
  await createProviderSession(scene.tenant.id, scene.member.id, [application]);
  return application.id.toString();
}

async function someDirectory(scene: TWalkerScene) {
  const { bindPassword, ...values } = directorySettings();
  const directory = await db().directory.create({ data: { tenantId: scene.tenant.id, ...values } });
  await db().directory.update({ where: { id: directory.id }, data: { bindPasswordSealed: sealBindPassword(directory.id, bindPassword) } });
  return directory.id.toString();
}

async function someWebhookEndpoint(scene: TWalkerScene) {
  return (await createWebhookEndpointRow(scene.tenant.id, "https://hooks.example.test/tenure", ["member.created"])).id.toString();
}

async function someWebhookDelivery(scene: TWalkerScene) {
  const endpointId = BigInt(await someWebhookEndpoint(scene));
  const message = await db().webhookMessage.create({ data: { tenantId: scene.tenant.id, eventType: "member.created", payload: { type: "member.created", timestamp: "2026-12-06T00:00:00.000Z", data: {} } } });
  const delivery = await db().webhookDelivery.create({ data: { tenantId: scene.tenant.id, endpointId, messageId: message.id, status: "failed" } });
  return { endpointId: endpointId.toString(), deliveryId: delivery.id.toString() };
}

const webhookEndpointInput = () => ({ url: `https://hooks.example.test/${unique("endpoint")}`, description: "SIEM", eventTypes: ["member.created" as const] });

/** The member edit form's values for a member as stored, with a role. */
async function editValues(memberId: bigint, role: "member" | "admin" | "owner") {
  const current = await db().user.findUniqueOrThrow({ where: { id: memberId } });
  return {
    memberId: memberId.toString(),
    expectedLastModifiedDate: current.updatedAt,
    firstName: current.firstName,
    lastName: current.lastName,
    fullName: current.fullName,
    username: current.username,
    email: current.email,
    mobile: current.mobile!,
    country: "GB",
    role,
  };
}

const profile = () => {
  const username = unique("walker");
  return { firstName: "New", lastName: "Person", username, email: `${username}@example.test`, mobile: uniqueMobile(), country: "GB" };
};
const onboarding = (extra: { role?: "member" | "admin"; roleIds?: string[] } = {}) => ({
  ...profile(),
  role: extra.role ?? "member",
  departmentIds: [],
  applicationIds: [],
  roleIds: extra.roleIds ?? [],
  groupIds: [],
});

/** The member's last disable revoked their application and policy; enabled again, they hold neither. */
async function disabledAndEnabled(scene: TWalkerScene) {
  const memberIds = [id(scene.member)];
  await scene.caller.lifecycle.run({ action: "disable", memberIds, reason: "Walker" });
  await scene.caller.lifecycle.run({ action: "enable", memberIds });
}

const MIGRATION_MAPPING: TImportMappingInput = {
  sourceName: "Walker ID",
  entries: [
    { source: "upn", target: "username", transform: "upnLocalPart" },
    { source: "given", target: "firstName", transform: "none" },
    { source: "family", target: "lastName", transform: "none" },
    { source: "mail", target: "email", transform: "none" },
    { source: "enabled", target: "sourceStatus", transform: "boolToStatus" },
  ],
};

async function uploaded(scene: TWalkerScene, rows: string[][]) {
  const { summary } = await upload(await sessionCookieFor(scene.sessionId), csv(rows));
  return summary.id;
}

/** The scene's owner with two-step verification on (its enrolment is sensitive, done while the session is fresh). */
async function withMfa(caller: TCaller) {
  const { secret } = await caller.auth.mfa.start();
  await caller.auth.mfa.confirm({ code: totpCode(secret, new Date(Date.now() - 30_000)) });
  return secret;
}

/** The scene's application as a sign-in client, its settings as the form would send them, plus changes. */
async function signInUpdate(scene: TWalkerScene, changes: Record<string, unknown>) {
  await enableSignInFor(scene.tenant.id, scene.application.id);
  return { input: { ...signInSettingsInput(scene.application.id), expectedUpdatedAt: await signInVersion(scene.application.id), ...changes } };
}

/** The scene's application signing in, and a rotation behind it, so an earlier secret can be revoked. */
async function earlierSecret(scene: TWalkerScene) {
  await enableSignInFor(scene.tenant.id, scene.application.id);
  const first = await db().applicationClientSecret.findFirstOrThrow({ where: { applicationId: scene.application.id } });
  await db().applicationClientSecret.update({ where: { id: first.id }, data: { expiresAt: new Date(Date.now() + 60 * 60 * 1000) } });
  await db().applicationClientSecret.create({ data: { tenantId: scene.tenant.id, applicationId: scene.application.id, secretHash: "f".repeat(60) + String(1000 + sequence++), hint: "walk" } });
  return first.id.toString();
}

const templateItems = (scene: TWalkerScene) => ({ departmentIds: [], applicationIds: [], roleIds: [id(scene.role)], groupIds: [] });

export const MUTATION_INPUTS: Record<TMutationPath, TProcedureInputs> = {
  // Public, and a tenant exists already: refused, but never for want of a step-up.
  "setup.createFirstTenant": { calm: () => ({ input: validFirstTenantInput, refusal: "CONFLICT" }) },

  "members.create": {
    calm: () => ({ input: { ...profile(), role: "member" } }),
    triggers: { "member.role_change": [() => ({ input: { ...profile(), role: "admin" } })] },
  },
  "members.update": {
    calm: async (scene) => ({ input: { ...(await editValues(scene.member.id, "member")), lastName: "Renamed" } }),
    triggers: {
      "member.role_change": [async (scene) => ({ input: await editValues(scene.member.id, "admin") }), async (scene) => ({ input: await editValues(scene.admin.id, "member") })],
      "member.own_contact_change": [async (scene) => ({ input: { ...(await editValues(scene.owner.id, "owner")), email: `${unique("own")}@example.test` } })],
    },
  },

  "departments.create": { calm: () => ({ input: { name: unique("Department ") } }) },
  "departments.rename": { calm: (scene) => ({ input: { departmentId: id(scene.otherDepartment), name: "Renamed" } }) },
  "departments.move": { calm: (scene) => ({ input: { departmentId: id(scene.otherDepartment), newParentId: id(scene.department) } }) },
  "departments.delete": { calm: (scene) => ({ input: { departmentId: id(scene.otherDepartment) } }) },
  "departments.transferMember": {
    calm: (scene) => ({ input: { memberId: id(scene.member), fromDepartmentId: id(scene.department), toDepartmentId: id(scene.otherDepartment) } }),
  },
  "departments.transferMembers": { calm: (scene) => ({ input: { memberIds: [id(scene.member)], toDepartmentId: id(scene.otherDepartment) } }) },
  "departments.join": { calm: (scene) => ({ input: { memberId: id(scene.member), departmentId: id(scene.otherDepartment) } }) },
  "departments.leave": { calm: (scene) => ({ input: { memberId: id(scene.member), departmentId: id(scene.department) } }) },
  "departments.previewMove": { calm: (scene) => ({ input: { departmentId: id(scene.otherDepartment), newParentId: id(scene.department) } }) },
  "departments.previewTransferMember": {
    calm: (scene) => ({ input: { memberId: id(scene.member), fromDepartmentId: id(scene.department), toDepartmentId: id(scene.otherDepartment) } }),
  },
  "departments.previewTransferMembers": { calm: (scene) => ({ input: { memberIds: [id(scene.member)], toDepartmentId: id(scene.otherDepartment) } }) },
  "departments.previewJoin": { calm: (scene) => ({ input: { memberId: id(scene.member), departmentId: id(scene.otherDepartment) } }) },
  "departments.previewLeave": { calm: (scene) => ({ input: { memberId: id(scene.member), departmentId: id(scene.department) } }) },
  "departments.setMain": { calm: (scene) => ({ input: { memberId: id(scene.member), departmentId: id(scene.department) } }) },
  "departments.setHead": { calm: (scene) => ({ input: { memberId: id(scene.member), departmentId: id(scene.department), head: true } }) },

  "access.create": { calm: () => ({ input: { kind: "policy", name: unique("Policy "), permission: `${unique("walker")}:read` } }) },
  "access.update": {
    calm: (scene) => ({ input: { kind: "policy", itemId: id(scene.policy), name: "Renamed", permission: "tickets:read" } }),
    triggers: { "access.policy_permission": [(scene) => ({ input: { kind: "policy", itemId: id(scene.policy), name: "Read tickets", permission: "members:*" } })] },
  },
  "access.delete": {
    calm: (scene) => ({ input: { kind: "group", itemId: id(scene.group) } }),
    triggers: { "access.delete": [(scene) => ({ input: { kind: "role", itemId: id(scene.role) } }), (scene) => ({ input: { kind: "policy", itemId: id(scene.policy) } })] },
  },
  "access.grant": {
    calm: (scene) => ({ input: { kind: "group", itemId: id(scene.group), memberIds: [id(scene.admin)] } }),
    triggers: {
      "access.grant": [
        (scene) => ({ input: { kind: "role", itemId: id(scene.role), memberIds: [id(scene.admin)] } }),
        (scene) => ({ input: { kind: "policy", itemId: id(scene.policy), memberIds: [id(scene.admin)] } }),
      ],
    },
  },
  "access.revoke": {
    calm: (scene) => ({ input: { kind: "group", itemId: id(scene.group), memberId: id(scene.member) } }),
    triggers: {
      "access.revoke": [
        (scene) => ({ input: { kind: "role", itemId: id(scene.role), memberId: id(scene.member) } }),
        (scene) => ({ input: { kind: "policy", itemId: id(scene.policy), memberId: id(scene.member) } }),
      ],
    },
  },
  "access.previewRolePolicies": { calm: (scene) => ({ input: { roleId: id(scene.role), policyIds: [] } }) },
  "access.setRolePolicies": { triggers: { "access.role_policies": [(scene) => ({ input: { roleId: id(scene.role), policyIds: [id(scene.policy)] } })] } },
  "accessGrants.change": {
    calm: (scene) => ({ input: { change: "grantToDepartment", departmentId: id(scene.department), kind: "application", itemId: id(scene.application), subtree: true } }),
    triggers: {
      "access.grant": [
        (scene) => ({ input: { change: "grantToDepartment", departmentId: id(scene.department), kind: "role", itemId: id(scene.role), subtree: false } }),
        (scene) => ({ input: { change: "grantToGroup", groupId: id(scene.group), kind: "role", itemId: id(scene.role) } }),
        async (scene) => {
          await db().departmentRole.create({ data: { departmentId: scene.department.id, roleId: scene.role.id, subtree: false } });
          return { input: { change: "setDepartmentGrantScope", departmentId: id(scene.department), kind: "role", itemId: id(scene.role), subtree: true } };
        },
      ],
      "access.revoke": [
        async (scene) => {
          await db().departmentRole.create({ data: { departmentId: scene.department.id, roleId: scene.role.id, subtree: true } });
          return { input: { change: "revokeFromDepartment", departmentId: id(scene.department), kind: "role", itemId: id(scene.role) } };
        },
        async (scene) => {
          await db().groupRole.create({ data: { groupId: scene.group.id, roleId: scene.role.id } });
          return { input: { change: "revokeFromGroup", groupId: id(scene.group), kind: "role", itemId: id(scene.role) } };
        },
        async (scene) => {
          await db().departmentRole.create({ data: { departmentId: scene.department.id, roleId: scene.role.id, subtree: true } });
          return { input: { change: "setDepartmentGrantScope", departmentId: id(scene.department), kind: "role", itemId: id(scene.role), subtree: false } };
        },
      ],
    },
  },

  "lifecycle.run": {
    // Enabling a plain member asks nothing (an admin among them would).
    calm: async (scene) => {
      await scene.caller.lifecycle.run({ action: "disable", memberIds: [id(scene.member)], reason: "Walker" });
      return { input: { action: "enable", memberIds: [id(scene.member)] } };
    },
    triggers: {
      "member.restore": [
        async (scene) => {
          await scene.caller.lifecycle.run({ action: "delete", memberIds: [id(scene.admin)] });
          return { input: { action: "restore", memberIds: [id(scene.admin)] } };
        },
      ],
      "member.admin_enable": [
        async (scene) => {
          await scene.caller.lifecycle.run({ action: "disable", memberIds: [id(scene.admin)], reason: "Walker" });
          return { input: { action: "enable", memberIds: [id(scene.admin), id(scene.member)] } };
        },
        async (scene) => {
          await scene.caller.lifecycle.run({ action: "lock", memberIds: [id(scene.admin)], reason: "Walker" });
          return { input: { action: "unlock", memberIds: [id(scene.admin)] } };
        },
      ],
    },
  },
  "lifecycle.cancelLeave": {
    calm: async (scene) => {
      await scene.caller.lifecycle.run({ action: "resign", memberIds: [id(scene.member)], leaveDate: new Date(Date.now() + 86_400_000) });
      return { input: { memberId: id(scene.member) } };
    },
  },
  "lifecycle.cancelLock": {
    calm: async (scene) => {
      await scene.caller.lifecycle.run({ action: "lock", memberIds: [id(scene.member)], reason: "Walker", lockStartDate: new Date(Date.now() + 86_400_000) });
      return { input: { memberId: id(scene.member) } };
    },
  },
  "lifecycle.hardDelete": { triggers: { "member.hard_delete": [(scene) => ({ input: { memberId: id(scene.member), confirmUsername: scene.member.username } })] } },
  "lifecycle.updateSettings": {
    // The default grace period is 30 days: a longer one, or new reminder days, ask nothing.
    calm: () => ({ input: { deletionGraceDays: 40, passwordReminderDays: [7] } }),
    triggers: { "lifecycle.shorten_grace": [() => ({ input: { deletionGraceDays: 1, passwordReminderDays: [14, 7, 1] } })] },
  },
  "lifecycle.regrant": {
    calm: async (scene) => {
      await disabledAndEnabled(scene);
      return { input: { memberId: id(scene.member), applicationIds: [id(scene.application)], policyIds: [] } };
    },
    triggers: {
      "access.regrant": [
        async (scene) => {
          await disabledAndEnabled(scene);
          return { input: { memberId: id(scene.member), applicationIds: [], policyIds: [id(scene.policy)] } };
        },
      ],
    },
  },

  "imports.start": {
    calm: async (scene) => ({ input: { importId: await uploaded(scene, [[...HEADER], memberRow(unique("calm"), 1)]) } }),
    triggers: {
      "member.role_change": [
        // Promotes a new member, or demotes an existing admin (which locks them out of the console).
        async (scene) => ({ input: { importId: await uploaded(scene, [[...HEADER, "role"], [...memberRow(unique("raised"), 2), "admin"]]) } }),
        async (scene) => ({ input: { importId: await uploaded(scene, [["username", "role"], [scene.admin.username, "member"]]) } }),
      ],
    },
  },
  "imports.cancel": { calm: async (scene) => ({ input: { importId: await uploaded(scene, [[...HEADER], memberRow(unique("cancel"), 3)]) } }) },
  "imports.previewMapping": { calm: () => ({ input: { sample: "userPrincipalName,givenName,surname,mail,accountEnabled\nwalker@contoso.test,Walk,Er,walker@contoso.test,false\n" } }) },
  "imports.saveMapping": { calm: () => ({ input: { name: unique("walker mapping "), mapping: MIGRATION_MAPPING, columns: ["upn", "given", "family", "mail", "enabled"] } }) },
  "imports.deleteMapping": {
    calm: async (scene) => {
      const saved = await scene.caller.imports.saveMapping({ name: unique("walker mapping "), mapping: MIGRATION_MAPPING, columns: ["upn"] });
      return { input: { mappingId: saved.id } };
    },
  },
  "imports.disableFromSource": {
    calm: async (scene) => {
      const name = unique("gone");
      const file = csv([["upn", "given", "family", "mail", "enabled"], [`${name}@contoso.test`, "Gone", "Member", `${name}@contoso.test`, "false"]]);
      const headers = { [MAPPING_HEADER]: encodeURIComponent(JSON.stringify(MIGRATION_MAPPING)) };
      const { summary } = await upload(await sessionCookieFor(scene.sessionId), file, "entra.csv", headers);
      await scene.caller.imports.start({ importId: summary.id });
      await runDueJobs();
      return { input: { importId: summary.id } };
    },
  },

  "directorySync.start": { calm: async (scene) => ({ input: { directoryId: (await createDirectory(scene.tenant.id, null)).id.toString() } }) },
  "directorySync.approve": {
    triggers: {
      "directory.sync_approve": [async (scene) => ({ input: { runId: (await createSyncRun(await createDirectory(scene.tenant.id, null), "awaiting_approval")).id.toString() } })],
    },
  },
  "directorySync.cancel": { calm: async (scene) => ({ input: { runId: (await createSyncRun(await createDirectory(scene.tenant.id, null), "awaiting_approval")).id.toString() } }) },

  "security.updatePolicy": { triggers: { "security_policy.update": [() => ({ input: { ...DEFAULT_SECURITY_POLICY, idleTimeoutMinutes: 20 } })] } },
  "security.clearSignInThrottle": { triggers: { "member.throttle_clear": [(scene) => ({ input: { memberId: id(scene.member) } })] } },
  "security.revokeSession": { calm: (scene) => ({ input: { memberId: id(scene.member), sessionId: scene.memberSessionId } }) },
  "security.revokeAllSessions": { calm: (scene) => ({ input: { memberId: id(scene.member) } }) },
  "security.changePassword": {
    calm: () => {
      const newPassword = `a brand new walker passphrase ${unique("")}`;
      return { input: { currentPassword: TEST_PASSWORD, newPassword, confirmation: newPassword } };
    },
  },

  "onboarding.onboard": {
    calm: () => ({ input: onboarding() }),
    triggers: {
      "member.role_change": [() => ({ input: onboarding({ role: "admin" }) })],
      "access.grant": [(scene) => ({ input: onboarding({ roleIds: [id(scene.role)] }) })],
    },
  },
  "onboarding.resendInvitation": {
    calm: async (scene) => {
      const onboarded = await scene.caller.onboarding.onboard(onboarding());
      return { input: { memberId: onboarded.id } };
    },
  },
  "lifecycle.revealInvitationLink": {
    calm: async (scene) => {
      const onboarded = await scene.caller.onboarding.onboard(onboarding());
      const mail = await db().outboxMail.findFirstOrThrow({ where: { userId: BigInt(onboarded.id), kind: "invitation" } });
      return { input: { mailId: mail.id.toString() } };
    },
  },
  // Public: the token is the credential; a made-up one is refused, never for want of a step-up.
  "onboarding.acceptInvitation": { calm: () => ({ input: { token: "x".repeat(43), newPassword: "a long walker passphrase", confirmation: "a long walker passphrase" }, refusal: "NOT_FOUND" }) },

  "roleTemplates.create": { calm: (scene) => ({ input: { name: unique("Template "), ...templateItems(scene) } }) },
  "roleTemplates.update": {
    calm: async (scene) => {
      const template = await scene.caller.roleTemplates.create({ name: unique("Template "), ...templateItems(scene) });
      return { input: { templateId: template.id, name: unique("Template "), ...templateItems(scene) } };
    },
  },
  "roleTemplates.delete": {
    calm: async (scene) => {
      const template = await scene.caller.roleTemplates.create({ name: unique("Template "), ...templateItems(scene) });
      return { input: { templateId: template.id } };
    },
  },

  "auth.stepUp": { calm: () => ({ input: { method: "password", secret: TEST_PASSWORD } }) },
  "auth.mfa.start": { triggers: { "mfa.enrol": [() => ({ input: undefined })] } },
  "auth.mfa.confirm": {
    calm: async (scene) => {
      const { secret } = await scene.caller.auth.mfa.start();
      return { input: { code: totpCode(secret, new Date()) } };
    },
  },
  "auth.mfa.remove": {
    triggers: {
      "mfa.remove": [
        async (scene) => {
          await withMfa(scene.caller);
          return { input: undefined };
        },
      ],
    },
  },
  "auth.mfa.regenerateRecoveryCodes": {
    triggers: {
      "mfa.recovery_codes": [
        async (scene) => {
          await withMfa(scene.caller);
          return { input: undefined };
        },
      ],
    },
  },
  "auth.mfa.resetForMember": {
    triggers: {
      "mfa.remove": [
        async (scene) => {
          await withMfa(scene.memberCaller);
          return { input: { memberId: id(scene.member) } };
        },
      ],
    },
  },
  "auth.passwordReset.request": { calm: (scene) => ({ input: { organisation: scene.tenant.slug, login: scene.member.username } }) },
  "auth.passwordReset.reset": { calm: () => ({ input: { token: "x".repeat(43), newPassword: "a long walker passphrase", confirmation: "a long walker passphrase" }, refusal: "NOT_FOUND" }) },

  "selfService.updateProfile": {
    calm: async (scene) => ({ input: { expectedLastModifiedDate: (await db().user.findUniqueOrThrow({ where: { id: scene.owner.id } })).updatedAt, landline: "020 7946 0000" } }),
    triggers: {
      "member.own_contact_change": [
        async (scene) => ({
          input: { expectedLastModifiedDate: (await db().user.findUniqueOrThrow({ where: { id: scene.owner.id } })).updatedAt, mobile: uniqueMobile(), country: "GB" },
        }),
      ],
    },
  },
  "selfService.revokeSession": {
    calm: async (scene) => ({ input: { sessionId: await createSession(db(), { tenantId: scene.tenant.id, userId: scene.owner.id, ...client }) } }),
  },
  "selfService.revokeOtherSessions": { calm: () => ({ input: undefined }) },
  "selfService.reportNotMe": {
    calm: async (scene) => {
      const attempt = await db().loginAttempt.create({
        data: { tenantId: scene.tenant.id, userId: scene.member.id, login: scene.member.username, result: "success", reason: "ok" },
      });
      return { input: { attemptId: attempt.id.toString() }, caller: scene.memberCaller };
    },
  },
  "selfService.updateSettings": { triggers: { "self_service.settings_update": [() => ({ input: { editableFields: ["mobile"] } })] } },
  "alerts.createRule": { triggers: { "alerts.rules": [() => ({ input: alertRule() })] } },
  "alerts.updateRule": { triggers: { "alerts.rules": [async (scene) => ({ input: { ruleId: await someAlertRule(scene), ...alertRule() } })] } },
  "alerts.deleteRule": { triggers: { "alerts.rules": [async (scene) => ({ input: { ruleId: await someAlertRule(scene) } })] } },
  "alerts.markRead": { calm: async (scene) => ({ input: { notificationId: await ownNotification(scene) } }) },
  "alerts.markAllRead": { calm: () => ({ input: undefined }) },
  "scim.updateSettings": { calm: () => ({ input: { deleteAction: "resign", createDepartments: true } }) },
  "apiTokens.create": { triggers: { "api_tokens.create": [() => ({ input: { name: unique("Walker token "), scopes: ["scim"], expiresInDays: 30 } })] } },
  "apiTokens.revoke": {
    calm: async (scene) => {
      const token = await db().apiToken.create({
        data: { tenantId: scene.tenant.id, name: unique("Walker token "), scopes: ["scim"], tokenHash: unique("hash-"), hint: "abcd", expiresAt: new Date(Date.now() + 86_400_000) },
      });
      return { input: { tokenId: token.id.toString() } };
    },
  },
  "directories.create": { triggers: { "directories.manage": [() => ({ input: directorySettings() })] } },
  "directories.update": {
    triggers: {
      "directories.manage": [
        async (scene) => {
          const directoryId = await someDirectory(scene);
          const { settingsUpdatedAt } = await db().directory.findUniqueOrThrow({ where: { id: BigInt(directoryId) } });
          return { input: { directoryId, expectedSettingsUpdatedAt: settingsUpdatedAt, ...directorySettings() } };
        },
      ],
    },
  },
  "directories.delete": { triggers: { "directories.manage": [async (scene) => ({ input: { directoryId: await someDirectory(scene) } })] } },
  "applicationSignIn.enable": { triggers: { "applications.sign_in": [(scene) => ({ input: signInSettingsInput(scene.application.id) })] } },
  "applicationSignIn.update": {
    calm: (scene) => signInUpdate(scene, { accessTokenTtlSeconds: 900 }),
    triggers: {
      "applications.sign_in": [
        (scene) => signInUpdate(scene, { redirectUris: ["https://app.example.test/other-callback"] }),
        (scene) => signInUpdate(scene, { claimSets: ["profile", "email", "roles"] }),
      ],
    },
  },
  "applicationSignIn.disable": { calm: async (scene) => (await enableSignInFor(scene.tenant.id, scene.application.id), { input: { applicationId: id(scene.application) } }) },
  "applicationSignIn.rotateSecret": {
    triggers: { "applications.client_secret": [async (scene) => (await enableSignInFor(scene.tenant.id, scene.application.id), { input: { applicationId: id(scene.application) } })] },
  },
  "applicationSignIn.revokeSecret": {
    triggers: { "applications.client_secret": [async (scene) => ({ input: { applicationId: id(scene.application), secretId: await earlierSecret(scene) } })] },
  },
  "signingKeys.rotate": { triggers: { "oidc.signing_keys": [() => ({ input: undefined })] } },
  "applicationMembers.endSession": { calm: async (scene) => ({ input: { applicationId: await memberSignedInAtApplication(scene), memberId: id(scene.member) } }) },
  "myApplications.endSession": { calm: async (scene) => ({ input: { applicationId: await memberSignedInAtApplication(scene) }, caller: scene.memberCaller }) },
  "directories.testConnection": { calm: async (scene) => ({ input: { directoryId: await someDirectory(scene) } }) },
  "directories.preview": { calm: async (scene) => ({ input: { directoryId: await someDirectory(scene) } }) },
  "webhooks.create": { triggers: { "webhooks.manage": [() => ({ input: webhookEndpointInput() })] } },
  "webhooks.update": { triggers: { "webhooks.manage": [async (scene) => ({ input: { endpointId: await someWebhookEndpoint(scene), ...webhookEndpointInput() } })] } },
  "webhooks.delete": { triggers: { "webhooks.manage": [async (scene) => ({ input: { endpointId: await someWebhookEndpoint(scene) } })] } },
  "webhooks.setEnabled": { triggers: { "webhooks.manage": [async (scene) => ({ input: { endpointId: await someWebhookEndpoint(scene), enabled: false } })] } },
  "webhooks.rotateSecret": { triggers: { "webhooks.manage": [async (scene) => ({ input: { endpointId: await someWebhookEndpoint(scene) } })] } },
  "webhooks.sendTest": { calm: async (scene) => ({ input: { endpointId: await someWebhookEndpoint(scene) } }) },
  "webhooks.replay": { calm: async (scene) => ({ input: await someWebhookDelivery(scene) }) },
  "provisioning.save": { triggers: { "provisioning.manage": [async (scene) => ({ input: scimSettingsInput((await connectedApplication(scene.tenant.id)).applicationId) })] } },
  "provisioning.approve": { triggers: { "provisioning.manage": [async (scene) => ({ input: { applicationId: (await connectedApplication(scene.tenant.id, { reviewed: true })).applicationId } })] } },
  "provisioning.testConnection": { calm: async (scene) => ({ input: { applicationId: (await connectedApplication(scene.tenant.id)).applicationId } }) },
  "provisioning.startReconciliation": { calm: async (scene) => ({ input: { applicationId: (await connectedApplication(scene.tenant.id)).applicationId, dryRun: true } }) },
  "provisioning.retryDeadLetter": { calm: async (scene) => ({ input: await connectedApplication(scene.tenant.id, { deadLetter: true }) }) },
};
