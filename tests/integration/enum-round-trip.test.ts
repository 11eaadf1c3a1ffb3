import { globSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { TRANSITIONS } from "@/server/shared/member-states";
import { CHANGE_MARKS, DIRECTORY_PRESETS, DISABLED_SIGNALS, ENTRY_ID_FORMATS, PRESETS, USERNAME_FORMATS } from "@/server/directories/attribute-mapping";
import { DEPARTMENT_SOURCES, DEPROVISION_ACTIONS, LINK_EXISTING_BY } from "@/server/directories/directory-schemas";
import { API_TOKEN_SCOPES } from "@/server/api-tokens/api-token-schemas";
import { SCIM_DELETE_ACTIONS } from "@/server/scim/scim-schemas";
import { SYNC_ACTIONS } from "@/server/directories/sync-schemas";
import { CLAIM_SETS, OIDC_CLIENT_TYPES } from "@/server/applications/oidc-settings-schemas";
import { signInSettingsInput } from "../support/application-sign-in";
import { WEBHOOK_EVENT_TYPE_NAMES } from "@/server/audit/webhook-event-types";
import { WEBHOOK_LOG_FILTERS } from "@/server/webhooks/schemas";
import { MAPPING_TARGETS, MAPPING_TRANSFORMS } from "@/server/imports/mapping-schemas";
import { createDirectory, createSyncRun, directorySettingsInput } from "../support/directories";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant, TEST_PASSWORD, uniqueMobile } from "../support/factories";
import { DEPROVISION_MODES, USER_NAME_SOURCES } from "@/server/provisioning/schemas";
import { connectedApplication, scimSettingsInput } from "../support/provisioning";

// Issue 10 item 9: "Prefers not to say" (undisclosed) did not fit its column.
// Every z.enum of every schema module goes through the database here, value by
// value; a new enum fails the first test until it is given a round trip below.

type TDef = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): TDef | null => (schema as { _zod?: { def?: TDef } } | null)?._zod?.def ?? null;
const keyOf = (values: readonly unknown[]) => [...values].map(String).sort().join(",");

/** Every enum's values reachable from a schema (objects, unions, wrappers, pipes, arrays). */
function enumsIn(schema: unknown, found: Map<string, string[]>, seen = new Set<unknown>()): void {
  const def = defOf(schema);
  if (!def || seen.has(schema)) return;
  seen.add(schema);
  if (def.type === "enum") {
    const values = Object.values(def.entries as Record<string, string>);
    found.set(keyOf(values), values);
  }
  for (const child of [def.innerType, def.in, def.out, def.element, ...Object.values((def.shape as Record<string, unknown> | undefined) ?? {}), ...((def.options as unknown[] | undefined) ?? [])]) {
    enumsIn(child, found, seen);
  }
}

async function schemaEnums(): Promise<Map<string, string[]>> {
  const root = path.resolve(import.meta.dirname, "../..");
  const files = globSync(["server/*/schemas.ts", "server/*/*-schemas.ts", "server/*/*/schemas.ts"], { cwd: root });
  expect(files.length).toBeGreaterThan(10);
  const found = new Map<string, string[]>();
  for (const file of files) {
    const exports = (await import(path.join(root, file))) as Record<string, unknown>;
    for (const exported of Object.values(exports)) enumsIn(exported, found);
  }
  return found;
}

async function ownerCaller() {
  const tenant = await createTenant();
  const { member, sessionId } = await createSignedInMember(tenant.id, { role: "owner", password: TEST_PASSWORD });
  return { tenant, owner: member, caller: createCaller(await createContextForSessionId(sessionId)) };
}

const memberForm = (suffix: string) => ({
  firstName: "Enum",
  lastName: suffix,
  username: `enum.${suffix}.${Math.random().toString(36).slice(2, 8)}`,
  email: `enum.${suffix}.${Math.random().toString(36).slice(2, 8)}@example.test`,
  mobile: uniqueMobile(),
  country: "GB",
});

/** Directory settings (nothing is contacted: creating one does not connect). */
const directoryForm = (overrides: Record<string, unknown>) =>
  directorySettingsInput({ name: `Enum directory ${Math.random().toString(36).slice(2, 8)}`, departmentAttribute: "department", ...overrides });

/** Each value saved in a directory's settings (or its attribute mapping) and read back. */
function directoryRoundTrip(field: string, inMapping = false) {
  return async (values: string[]) => {
    const { caller } = await ownerCaller();
    for (const value of values) {
      const form = inMapping ? directoryForm({ attributeMapping: { ...PRESETS.openldap.mapping, [field]: value } }) : directoryForm({ [field]: value });
      const { id } = await caller.directories.create(form);
      const stored = await caller.directories.get({ directoryId: id });
      expect(inMapping ? (stored.attributeMapping as Record<string, unknown>)[field] : (stored as Record<string, unknown>)[field]).toBe(value);
    }
  };
}

/** One round trip per enum, by its values: write each value where the database keeps it, read it back. */
const ROUND_TRIPS: Record<string, (values: string[]) => Promise<void>> = {
  [keyOf(["female", "male", "other", "undisclosed"])]: async (genders) => {
    const { caller } = await ownerCaller();
    for (const gender of genders) {
      const { id } = await caller.members.create({ ...memberForm(gender), gender: gender as never });
      expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } })).gender).toBe(gender);
      const current = await caller.members.get({ memberId: id });
      const other = genders.find((value) => value !== gender)!;
      await caller.members.update({
        memberId: id, expectedLastModifiedDate: current.updatedAt, firstName: current.firstName, lastName: current.lastName,
        username: current.username, email: current.email, mobile: current.mobile!, country: "GB", gender: other as never, role: "member",
      });
      expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } })).gender).toBe(other);
    }
  },
  [keyOf(["member", "admin", "owner"])]: async (roles) => {
    const { caller } = await ownerCaller();
    for (const role of roles) {
      const { id } = await caller.members.create({ ...memberForm(role), role: role as never });
      expect((await caller.members.get({ memberId: id })).role).toBe(role);
      expect((await caller.members.list({ role: role as never })).items.map((item) => item.id)).toContain(id);
    }
  },
  [keyOf(["console", "import", "ldap", "self_registration", "scim"])]: async (sources) => {
    const { tenant, caller } = await ownerCaller();
    for (const source of sources) {
      const member = await createMember(tenant.id);
      await db().user.update({ where: { id: member.id }, data: { source } });
      expect((await caller.members.list({ source: source as never })).items.map((item) => item.id)).toContain(member.id.toString());
    }
  },
  [keyOf(["active", "pending", "locked", "disabled", "resigned", "archived"])]: async (statuses) => {
    const { tenant, caller } = await ownerCaller();
    for (const status of statuses) {
      const member = await createMember(tenant.id, { state: status as never });
      expect((await caller.members.list({ status: status as never })).items.map((item) => item.id)).toContain(member.id.toString());
    }
  },
  [keyOf(["name", "created", "lastOnline"])]: async (sorts) => {
    const { tenant, caller } = await ownerCaller();
    await createMember(tenant.id);
    await createMember(tenant.id);
    for (const sort of sorts) {
      for (const order of ["asc", "desc"] as const) {
        // Page by page through the cursor: each sort's value goes out and comes back.
        const first = await caller.members.list({ sort: sort as never, order, limit: 1 });
        const second = await caller.members.list({ sort: sort as never, order, limit: 1, cursor: first.nextCursor });
        expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
      }
    }
  },
  [keyOf(["asc", "desc"])]: () => Promise.resolve(), // covered with the sorts above
  [keyOf(["role", "group", "application", "policy"])]: async (kinds) => {
    const { caller } = await ownerCaller();
    for (const kind of kinds) {
      await caller.access.create({ kind: kind as never, name: `Enum ${kind}`, ...(kind === "policy" ? { permission: "members:read" } : {}) });
      expect(JSON.stringify(await caller.access.list({ kind: kind as never }))).toContain(`Enum ${kind}`);
    }
  },
  [keyOf(["activate", "unlock", "enable", "archive", "unarchive", "delete", "restore"])]: async (actions) => {
    const { tenant, caller } = await ownerCaller();
    const member = await createMember(tenant.id, { state: "pending" });
    const memberIds = [member.id.toString()];
    const steps = [
      { action: "activate" }, { action: "lock", reason: "enum" }, { action: "unlock" }, { action: "disable", reason: "enum" }, { action: "enable" },
      { action: "archive" }, { action: "unarchive" }, { action: "delete" }, { action: "restore" },
    ] as const;
    expect(steps.map((step) => step.action)).toEqual(expect.arrayContaining(actions));
    for (const step of steps) {
      await caller.lifecycle.run({ ...step, memberIds });
      const { state } = await db().user.findUniqueOrThrow({ where: { id: member.id }, select: { state: true } });
      // "restore" returns to the state before deletion (disabled, after unarchive).
      const expected = TRANSITIONS[step.action].to;
      expect(state, step.action).toBe(expected === "previous" ? "disabled" : expected);
    }
  },
  [keyOf(["disable", "resign", "archive", "delete"])]: async (actions) => {
    const { tenant, caller } = await ownerCaller();
    const member = await createMember(tenant.id);
    for (const action of actions) await caller.lifecycle.preview({ action: action as never, memberIds: [member.id.toString()] });
  },
  [keyOf(["none", "admins", "everyone"])]: async (requirements) => {
    for (const mfaRequirement of requirements) {
      // A fresh owner each time: "admins" and "everyone" send this very session to MFA enrolment.
      const { tenant, caller } = await ownerCaller();
      const policy = await caller.security.policy();
      await caller.security.updatePolicy({ ...policy, mfaRequirement: mfaRequirement as never, passwordMinLength: 15 });
      expect((await db().tenantSecurityPolicy.findUnique({ where: { tenantId: tenant.id } }))?.mfaRequirement ?? "none").toBe(mfaRequirement);
    }
  },
  [keyOf(["record", "lock"])]: async (actions) => {
    const { caller } = await ownerCaller();
    for (const abnormalLoginAction of actions) {
      const policy = await caller.security.policy();
      await caller.security.updatePolicy({ ...policy, abnormalLoginAction: abnormalLoginAction as never });
      expect((await caller.security.policy()).abnormalLoginAction).toBe(abnormalLoginAction);
    }
  },
  [keyOf(["mobile", "landline", "address", "avatarUrl", "gender", "title"])]: async (fields) => {
    const { caller } = await ownerCaller();
    await caller.selfService.updateSettings({ editableFields: fields as never });
    expect([...(await caller.selfService.settings()).editableFields].sort()).toEqual([...fields].sort());
  },
  [keyOf(["member", "department", "role", "group", "application", "policy", "role_template", "member_import", "tenant", "alert_rule", "directory", "webhook_endpoint"])]: async (targetTypes) => {
    const { caller } = await ownerCaller();
    for (const targetType of targetTypes) await caller.audit.list({ targetType: targetType as never });
  },
  [keyOf(["sensitive_grant", "lockout", "abnormal_sign_in", "bulk_lifecycle", "export", "webhook_disabled"])]: async (eventClasses) => {
    const { caller } = await ownerCaller();
    for (const eventClass of eventClasses) {
      await caller.alerts.createRule({ eventClass: eventClass as never, notifyOwners: true, notifyAdmins: false, memberIds: [], byConsole: true, byMail: false, policyPatterns: ["*:*"], threshold: 10, enabled: true });
    }
    const stored = (await caller.alerts.rules()).map((rule) => rule.eventClass);
    for (const eventClass of eventClasses) expect(stored.filter((value) => value === eventClass).length).toBeGreaterThanOrEqual(2);
  },
  [keyOf(["role", "application"])]: async (kinds) => {
    const { caller, tenant } = await ownerCaller();
    const department = await db().department.create({ data: { tenantId: tenant.id, name: "Enum department" } });
    for (const kind of kinds) {
      const item = await caller.access.create({ kind: kind as never, name: `Enum ${kind}` });
      await caller.accessGrants.change({ change: "grantToDepartment", departmentId: department.id.toString(), kind: kind as never, itemId: item.id, subtree: true });
    }
    const grants = await caller.accessGrants.ofDepartment({ departmentId: department.id.toString() });
    expect(JSON.stringify(grants)).toContain("Enum role");
    expect(JSON.stringify(grants)).toContain("Enum application");
  },
  [keyOf(DIRECTORY_PRESETS)]: directoryRoundTrip("preset"),
  [keyOf(MAPPING_TARGETS)]: async (targets) => {
    const { caller } = await ownerCaller();
    const entries = targets.map((target) => ({ source: `column ${target}`, target: target as never, transform: (target === "sourceStatus" ? "boolToStatus" : "none") as never }));
    await caller.imports.saveMapping({ name: "Every target", mapping: { sourceName: "Enum", entries }, columns: entries.map((entry) => entry.source) });
    expect((await caller.imports.mappings())[0]!.mapping.entries.map((entry) => entry.target)).toEqual(targets);
  },
  [keyOf(MAPPING_TRANSFORMS)]: async (transforms) => {
    const { caller } = await ownerCaller();
    const targets = ["username", "firstName", "lastName", "fullName", "sourceStatus"];
    const entries = transforms.map((transform, index) => ({ source: `column ${index}`, target: targets[index] as never, transform: transform as never }));
    await caller.imports.saveMapping({ name: "Every transform", mapping: { sourceName: "Enum", entries }, columns: entries.map((entry) => entry.source) });
    expect((await caller.imports.mappings())[0]!.mapping.entries.map((entry) => entry.transform)).toEqual(transforms);
  },
  [keyOf(DEPARTMENT_SOURCES)]: directoryRoundTrip("departmentSource"),
  [keyOf(LINK_EXISTING_BY)]: directoryRoundTrip("linkExistingBy"),
  [keyOf(DEPROVISION_ACTIONS)]: directoryRoundTrip("deprovisionAction"),
  [keyOf(ENTRY_ID_FORMATS)]: directoryRoundTrip("entryIdFormat", true),
  [keyOf(DISABLED_SIGNALS)]: directoryRoundTrip("disabledSignal", true),
  [keyOf(CHANGE_MARKS)]: directoryRoundTrip("changeMark", true),
  [keyOf(USERNAME_FORMATS)]: directoryRoundTrip("usernameFormat", true),
  // A sync's kind: stored on its run (an approved directory with a mark keeps an incremental one incremental).
  [keyOf(["full", "incremental"])]: async (kinds) => {
    const { tenant, caller } = await ownerCaller();
    const directory = await createDirectory(tenant.id, null);
    await db().directory.update({ where: { id: directory.id }, data: { firstSyncApprovedAt: new Date(), incrementalMark: "20261204000000Z" } });
    for (const kind of kinds) {
      const { runId } = await caller.directorySync.start({ directoryId: directory.id.toString(), kind: kind as never });
      expect((await db().directorySyncRun.findUniqueOrThrow({ where: { id: BigInt(runId) } })).kind).toBe(kind);
      await db().directorySyncRun.update({ where: { id: BigInt(runId) }, data: { status: "succeeded" } });
    }
  },
  // A staged entry's action: each filter of the plan lists exactly the entry with that action.
  [keyOf(SYNC_ACTIONS)]: async (actions) => {
    const { tenant, caller } = await ownerCaller();
    const directory = await createDirectory(tenant.id, null);
    const run = await createSyncRun(directory, "awaiting_approval");
    await db().directorySyncEntry.createMany({ data: actions.map((action) => ({ runId: run.id, entryId: `entry-${action}`, dn: `uid=${action},dc=example`, action })) });
    for (const action of actions) {
      const page = await caller.directorySync.entries({ runId: run.id.toString(), action: action as never });
      expect(page.entries.map((entry) => [entry.entryId, entry.action])).toEqual([[`entry-${action}`, action]]);
    }
  },
  [keyOf(API_TOKEN_SCOPES)]: async (scopes) => {
    const { caller } = await ownerCaller();
    for (const scope of scopes) await caller.apiTokens.create({ name: `Enum ${scope}`, scopes: [scope as never], expiresInDays: 1 });
    await caller.apiTokens.create({ name: "Enum all", scopes: scopes as never, expiresInDays: 1 });
    const stored = await caller.apiTokens.list();
    for (const scope of scopes) expect(stored.find((token) => token.name === `Enum ${scope}`)?.scopes).toEqual([scope]);
    expect([...stored.find((token) => token.name === "Enum all")!.scopes].sort()).toEqual([...scopes].sort());
  },
  // An endpoint's event types (issue 15): every one saved and read back.
  [keyOf(WEBHOOK_EVENT_TYPE_NAMES)]: async (types) => {
    const { caller } = await ownerCaller();
    const { id } = await caller.webhooks.create({ url: "https://hooks.example.test/enum", description: "", eventTypes: types as never });
    expect([...(await caller.webhooks.get({ endpointId: id })).eventTypes].sort()).toEqual([...types].sort());
  },
  // The delivery log's filter: each answers (an empty log) without a database error.
  [keyOf(WEBHOOK_LOG_FILTERS)]: async (filters) => {
    const { caller } = await ownerCaller();
    const { id } = await caller.webhooks.create({ url: "https://hooks.example.test/enum", description: "", eventTypes: ["member.created"] });
    for (const show of filters) expect((await caller.webhooks.log({ endpointId: id, show: show as never })).items).toEqual([]);
  },
  [keyOf(SCIM_DELETE_ACTIONS)]: async (actions) => {
    const { caller } = await ownerCaller();
    for (const action of actions) {
      await caller.scim.updateSettings({ deleteAction: action as never, createDepartments: false });
      expect((await caller.scim.settings()).deleteAction).toBe(action);
    }
  },
  [keyOf(["password", "code"])]: async (methods) => {
    const { caller } = await ownerCaller();
    for (const method of methods) {
      const outcome = await caller.auth.stepUp({ method: method as never, secret: method === "password" ? TEST_PASSWORD : "123456" }).then(
        () => "ok",
        (error: { code?: string }) => error.code,
      );
      expect(outcome).not.toBe("INTERNAL_SERVER_ERROR");
    }
  },
  // Issue 14: an application's client type and claim sets, enabled with each, then changed to each, read back.
  [keyOf(OIDC_CLIENT_TYPES)]: async (clientTypes) => {
    const { caller } = await ownerCaller();
    for (const clientType of clientTypes) {
      const application = await caller.access.create({ kind: "application", name: `Enum client ${clientType}` });
      await caller.applicationSignIn.enable(signInSettingsInput(application.id, { clientType: clientType as never }));
      const stored = await caller.applicationSignIn.get({ applicationId: application.id });
      expect(stored.settings.clientType).toBe(clientType);
      const other = clientTypes.find((value) => value !== clientType)!;
      await caller.applicationSignIn.update(signInSettingsInput(application.id, { clientType: other as never, expectedUpdatedAt: stored.oidcUpdatedAt }));
      expect((await caller.applicationSignIn.get({ applicationId: application.id })).settings.clientType).toBe(other);
    }
  },
  [keyOf(CLAIM_SETS)]: async (claimSets) => {
    const { caller } = await ownerCaller();
    const application = await caller.access.create({ kind: "application", name: "Enum claims" });
    await caller.applicationSignIn.enable(signInSettingsInput(application.id, { claimSets: claimSets as never }));
    expect((await caller.applicationSignIn.get({ applicationId: application.id })).settings.claimSets.sort()).toEqual([...claimSets].sort());
    for (const claimSet of claimSets) {
      const { oidcUpdatedAt } = await caller.applicationSignIn.get({ applicationId: application.id });
      await caller.applicationSignIn.update(signInSettingsInput(application.id, { claimSets: [claimSet as never], expectedUpdatedAt: oidcUpdatedAt }));
      expect((await caller.applicationSignIn.get({ applicationId: application.id })).settings.claimSets).toEqual([claimSet]);
    }
  },
  // Issue 15: an application's SCIM settings, saved and read back.
  [keyOf(DEPROVISION_MODES)]: async (modes) => {
    const { caller, tenant } = await ownerCaller();
    await caller.auth.stepUp({ method: "password", secret: TEST_PASSWORD });
    for (const mode of modes) {
      const { applicationId } = await connectedApplication(tenant.id);
      await caller.provisioning.save({ ...scimSettingsInput(applicationId), deprovisionMode: mode as never });
      expect((await caller.provisioning.overview({ applicationId })).settings?.deprovisionMode).toBe(mode);
    }
  },
  [keyOf(USER_NAME_SOURCES)]: async (sources) => {
    const { caller, tenant } = await ownerCaller();
    await caller.auth.stepUp({ method: "password", secret: TEST_PASSWORD });
    for (const source of sources) {
      const { applicationId } = await connectedApplication(tenant.id);
      await caller.provisioning.save({ ...scimSettingsInput(applicationId), attributeMapping: { userName: source as never } });
      expect((await caller.provisioning.overview({ applicationId })).settings?.attributeMapping.userName).toBe(source);
    }
  },
};

describe("every enum of every schema through the database", () => {
  it("has a round trip for each enum the schema modules declare", async () => {
    const found = await schemaEnums();
    expect(found.size).toBeGreaterThan(10);
    expect([...found.keys()].filter((key) => !(key in ROUND_TRIPS))).toEqual([]);
  });

  it.each(Object.keys(ROUND_TRIPS))("round-trips %s", async (key) => {
    const found = await schemaEnums();
    const values = found.get(key);
    expect(values, `no schema declares ${key} any more: drop its round trip`).toBeDefined();
    await ROUND_TRIPS[key]!(values!);
  });
});
