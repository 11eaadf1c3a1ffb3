import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError, z } from "zod";
import { StepUpRequiredError } from "@/server/auth/step-up";
import { DomainError } from "@/server/errors";
import { db } from "@/server/db/client";
import { PRESETS } from "@/server/directories/attribute-mapping";
import { DIRECTORY_PROBE_LIMIT, directoryProbeBucket } from "@/server/directories/directory-probe-limit";
import { bucketExists } from "@/server/rate-limits/token-bucket";
import type { TDirectoryInput } from "@/server/directories/directory-schemas";
import { PREVIEW_SIZE } from "@/server/directories/preview-directory-entries";
import { MAX_DIRECTORIES } from "@/server/directories/manage-directories";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { organisationalUnit, person, startSlapd, type TSlapd } from "@/tests/support/slapd";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { directorySettingsInput } from "../support/directories";

// Issue 13, item 1: Settings → Directories against a real slapd. Owners (after
// a step-up) create, change and delete; admins read, test and preview the
// saved directory; the bind password is sealed and never leaves the server;
// "Test connection" and "Preview 20 entries" say what is wrong in words and
// cannot be used to hammer a host or to send the stored password elsewhere.

const client = { ipAddress: "198.51.100.77", userAgent: "vitest" };
const READER_PASSWORD = "reader-secret-4242";
const SIX_MINUTES = 6 * 60 * 1000;
let slapd: TSlapd;

beforeAll(async () => {
  slapd = await startSlapd({ tls: true });
  await slapd.add([organisationalUnit(slapd.suffix, "people"), organisationalUnit(slapd.suffix, "service"), organisationalUnit(slapd.suffix, "Engineering,people")]);
  await slapd.add([person(slapd.suffix, "reader", { ou: "service", password: READER_PASSWORD })]);
  // The invalid one first: the preview reads entries in the directory's order.
  await slapd.add([person(slapd.suffix, "broken", { ou: "Engineering,ou=people", mail: "not-an-email" })]);
  await slapd.add(Array.from({ length: 24 }, (_, n) => person(slapd.suffix, `person${n}`)));
}, 120_000);
afterAll(async () => slapd.stop());

const readerDn = () => `uid=reader,ou=service,${slapd.suffix}`;
/** The version of the directory's settings a form opened now starts from. */
const versionOf = async (id: string) => (await db().directory.findUniqueOrThrow({ where: { id: BigInt(id) } })).settingsUpdatedAt;

function settings(overrides: Partial<TDirectoryInput> = {}): TDirectoryInput {
  return directorySettingsInput({
    name: `Corporate LDAP ${Math.random().toString(36).slice(2, 8)}`,
    url: slapd.url,
    bindDn: readerDn(),
    bindPassword: READER_PASSWORD,
    baseDn: `ou=people,${slapd.suffix}`,
    syncIntervalMinutes: 60,
    departmentSource: "ou_path",
    ...overrides,
  });
}

const connectionOf = (values: TDirectoryInput) => {
  const { name: _name, preset: _preset, pageSize: _page, syncIntervalMinutes: _interval, departmentParentId: _parent, groupBaseDn: _groupBase, groupFilter: _groupFilter,
    linkExistingBy: _link, deprovisionAction: _deprovision, reenableReturning: _reenable, safetyStopPercent: _safety, signInByBind: _bind, ...connection } = values;
  return connection;
};

/** The form's field errors of a refusal through the caller: the zod schema's or the service's. */
function fieldErrorsOf(error: unknown): Record<string, unknown> {
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof ZodError) return z.flattenError(cause).fieldErrors;
  return cause instanceof DomainError ? cause.fieldErrors : {};
}
const refusalOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);

async function callerOf(sessionId: string) {
  return createCaller(await createContextForSessionId(sessionId, client));
}

/** An organisation with an owner (freshly signed in: stepped up), an admin and a plain member. */
async function scene() {
  const tenant = await createTenant();
  const owner = await createSignedInMember(tenant.id, { role: "owner" });
  const admin = await createSignedInMember(tenant.id, { role: "admin" });
  const member = await createSignedInMember(tenant.id);
  return { tenant, owner: await callerOf(owner.sessionId), ownerSessionId: owner.sessionId, admin: await callerOf(admin.sessionId), member: await callerOf(member.sessionId) };
}

describe("directories: create, read, change, delete", () => {
  it("seals the bind password, never returns it, and audits without it", async () => {
    const s = await scene();
    const { id } = await s.owner.directories.create(settings({ name: "Corporate" }));
    const row = await db().directory.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(row.bindPasswordSealed).toBeTruthy();
    expect(row.bindPasswordSealed).not.toContain(READER_PASSWORD);
    const answers = JSON.stringify([await s.owner.directories.get({ directoryId: id }), await s.owner.directories.list(), await s.admin.directories.get({ directoryId: id })]);
    expect(answers).not.toContain(READER_PASSWORD);
    expect(answers).not.toContain(row.bindPasswordSealed!);
    expect(await s.owner.directories.get({ directoryId: id })).toMatchObject({ name: "Corporate", hasBindPassword: true, bindDn: readerDn(), departmentSource: "ou_path" });
    expect((await s.admin.directories.list()).map((directory) => directory.name)).toEqual(["Corporate"]);

    await s.owner.directories.update({ directoryId: id, expectedSettingsUpdatedAt: await versionOf(id), ...settings({ name: "Corporate", bindPassword: "a-new-secret" }) });
    const events = await db().auditEvent.findMany({ where: { tenantId: s.tenant.id, targetType: "directory" }, orderBy: { id: "asc" } });
    expect(events.map((event) => event.action)).toEqual(["directory.created", "directory.updated"]);
    const trail = JSON.stringify(events.map((event) => event.changes));
    expect(trail).not.toContain(READER_PASSWORD);
    expect(trail).not.toContain("a-new-secret");
    expect(events[1]!.changes).toEqual({ bindPassword: { before: null, after: "changed" } });
    // The trail flags them high-risk, and its target filter finds them.
    const trailed = await s.owner.audit.list({ targetType: "directory" });
    expect(trailed.items.map((item) => [item.action, item.highRisk])).toEqual([["directory.updated", true], ["directory.created", true]]);
  });

  it("keeps the stored password when the field is left empty, but only for the same address and bind DN", async () => {
    const s = await scene();
    const { id } = await s.owner.directories.create(settings());
    const sealed = (await db().directory.findUniqueOrThrow({ where: { id: BigInt(id) } })).bindPasswordSealed;
    await s.owner.directories.update({ directoryId: id, expectedSettingsUpdatedAt: await versionOf(id), ...settings({ name: "Renamed", bindPassword: "" }) });
    expect((await db().directory.findUniqueOrThrow({ where: { id: BigInt(id) } })).bindPasswordSealed).toBe(sealed);
    expect(await s.admin.directories.testConnection({ directoryId: id })).toMatchObject({ ok: true });

    // Pointing the stored password at another host (one's own, to catch it) needs the password typed again: saving or testing.
    const elsewhere = settings({ name: "Renamed", url: "ldap://127.0.0.1:1", bindPassword: undefined });
    const refused = await refusalOf(s.owner.directories.update({ directoryId: id, expectedSettingsUpdatedAt: await versionOf(id), ...elsewhere }));
    expect(refused).toMatchObject({ code: "BAD_REQUEST" });
    expect(fieldErrorsOf(refused)).toEqual({ bindPassword: [expect.stringContaining("Enter the bind password again")] });
    await expect(s.owner.directories.testConnection({ directoryId: id, settings: connectionOf(elsewhere) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(s.owner.directories.testConnection({ directoryId: id, settings: connectionOf(settings({ bindPassword: undefined, startTls: true, url: slapd.url.replace("127.0.0.1", "localhost") })) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // A bind DN with no password at all is refused before anything is sent.
    await expect(s.owner.directories.testConnection({ settings: connectionOf(settings({ bindPassword: undefined })) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // The same target with an empty password: the stored one is used.
    expect(await s.owner.directories.testConnection({ directoryId: id, settings: connectionOf(settings({ bindPassword: "" })) })).toMatchObject({ ok: true });
    // A stored password that no longer opens (another key, or copied from another directory's row) is a sentence, not a crash.
    const { id: otherId } = await s.owner.directories.create(settings());
    const foreign = (await db().directory.findUniqueOrThrow({ where: { id: BigInt(otherId) } })).bindPasswordSealed;
    await db().directory.update({ where: { id: BigInt(id) }, data: { bindPasswordSealed: foreign } });
    const unreadable = await refusalOf(s.admin.directories.testConnection({ directoryId: id }));
    expect(unreadable).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("can no longer be opened") as unknown });
  });

  it("refuses admins and members what only owners may do, and another organisation's directory is not found", async () => {
    const s = await scene();
    const other = await scene();
    const { id } = await s.owner.directories.create(settings());
    await expect(s.admin.directories.create(settings())).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(s.admin.directories.update({ directoryId: id, expectedSettingsUpdatedAt: await versionOf(id), ...settings() })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(s.admin.directories.delete({ directoryId: id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(s.admin.directories.testConnection({ settings: connectionOf(settings()) })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(s.admin.directories.preview({ directoryId: id, settings: connectionOf(settings()) })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const anonymous = createCaller(await createContextForSessionId(null, client));
    await expect(anonymous.directories.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(anonymous.directories.testConnection({ settings: connectionOf(settings()) })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(anonymous.directories.create(settings())).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(s.member.directories.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(s.member.directories.create(settings())).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(s.member.directories.preview({ settings: connectionOf(settings()) })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(s.member.directories.get({ directoryId: id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(s.member.directories.testConnection({ directoryId: id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    for (const attempt of [
      () => other.owner.directories.get({ directoryId: id }),
      async () => other.owner.directories.update({ directoryId: id, expectedSettingsUpdatedAt: await versionOf(id), ...settings() }),
      () => other.owner.directories.delete({ directoryId: id }),
      () => other.owner.directories.testConnection({ directoryId: id }),
      () => other.owner.directories.preview({ directoryId: id }),
      () => other.owner.directories.testConnection({ directoryId: id, settings: connectionOf(settings({ bindPassword: undefined })) }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await other.owner.directories.list()).toEqual([]);
    // Refused callers used none of the organisation's probes.
    expect(await bucketExists(db(), directoryProbeBucket(s.tenant.id))).toBe(false);
    expect(await db().directory.count({ where: { id: BigInt(id) } })).toBe(1);
  });

  it("asks an owner whose proof is stale to confirm it's them", async () => {
    const s = await scene();
    const { id } = await s.owner.directories.create(settings());
    await db().session.update({ where: { id: s.ownerSessionId }, data: { steppedUpAt: new Date(Date.now() - SIX_MINUTES) } });
    for (const attempt of [() => s.owner.directories.create(settings()), async () => s.owner.directories.update({ directoryId: id, expectedSettingsUpdatedAt: await versionOf(id), ...settings() }), () => s.owner.directories.delete({ directoryId: id })]) {
      const refused = await refusalOf(attempt());
      expect(refused).toMatchObject({ code: "FORBIDDEN" });
      expect((refused as { cause?: unknown }).cause).toBeInstanceOf(StepUpRequiredError);
    }
    expect(await db().directory.count({ where: { tenantId: s.tenant.id } })).toBe(1);
  });

  it("refuses malformed and huge settings field by field", async () => {
    const s = await scene();
    const refusals: [Partial<TDirectoryInput>, string][] = [
      [{ userFilter: "(uid=a" }, "userFilter"],
      [{ userFilter: "uid=a" }, "userFilter"],
      [{ userFilter: "(&)" }, "userFilter"],
      [{ userFilter: "(uid=a)(uid=b)" }, "userFilter"],
      [{ userFilter: `(${"(".repeat(500)}` }, "userFilter"],
      [{ url: "http://127.0.0.1:389" }, "url"],
      [{ url: "ldap://127.0.0.1:70000" }, "url"],
      [{ url: "ldap://host/dc=example?uid" }, "url"],
      [{ url: "ldaps://127.0.0.1:636", startTls: true }, "startTls"],
      [{ baseDn: "people" }, "baseDn"],
      [{ bindDn: "reader" }, "bindDn"],
      // A bind DN without a password would be an unauthenticated bind, which some servers take as anonymous.
      [{ bindPassword: undefined }, "bindPassword"],
      [{ bindPassword: "" }, "bindPassword"],
      [{ caCertificate: "x".repeat(30_000) }, "caCertificate"],
      [{ caCertificate: "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----" }, "caCertificate"],
      [{ pageSize: 0 }, "pageSize"],
      [{ pageSize: 5001 }, "pageSize"],
      [{ syncIntervalMinutes: 4 }, "syncIntervalMinutes"],
      [{ safetyStopPercent: 0 }, "safetyStopPercent"],
      [{ name: "a\u0000b" }, "name"],
      [{ name: "x".repeat(200_000) }, "name"],
      [{ departmentSource: "attribute", departmentAttribute: null }, "departmentAttribute"],
      [{ departmentParentId: "424242" }, "departmentParentId"],
      [{ attributeMapping: { ...PRESETS.openldap.mapping, email: "mail)(uid=*" } }, "attributeMapping"],
    ];
    for (const [overrides, field] of refusals) {
      const error = await refusalOf(s.owner.directories.create(settings(overrides)));
      expect(error, `${field} ${JSON.stringify(overrides).slice(0, 80)}`).toMatchObject({ code: "BAD_REQUEST" });
      expect(Object.keys(fieldErrorsOf(error)), field).toContain(field);
    }
    expect(await db().directory.count({ where: { tenantId: s.tenant.id } })).toBe(0);
    // And good ones pass: AD's preset, a UPN bind, a nested filter with escapes and extensible matches.
    await s.owner.directories.create(settings({ preset: "active_directory", attributeMapping: PRESETS.active_directory.mapping, bindDn: "reader@corp.example", userFilter: "(&(objectCategory=person)(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2))(cn=a\\2a*))" }));
  });

  it("lets one of 20 parallel creates with the same name through; the others get a field error on the name", async () => {
    const s = await scene();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => s.owner.directories.create(settings({ name: "Same name" }))));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    for (const result of results.filter((result) => result.status === "rejected")) {
      expect(result.reason).toMatchObject({ code: "CONFLICT" });
      expect(fieldErrorsOf(result.reason)).toEqual({ name: ["Another directory has this name"] });
    }
    expect(await db().directory.count({ where: { tenantId: s.tenant.id } })).toBe(1);
  });

  it("deletes a directory and keeps its members, archived ones included, as local members", async () => {
    const s = await scene();
    const { id } = await s.owner.directories.create(settings());
    const directoryId = BigInt(id);
    const active = await createMember(s.tenant.id);
    const archived = await createMember(s.tenant.id);
    await db().$executeRaw`UPDATE users SET user_directory_id = ${directoryId}, directory_entry_id = 'e-' || id, directory_dn = 'uid=x' WHERE id IN (${active.id}, ${archived.id})`;
    await db().$executeRaw`UPDATE users SET state = 'archived', archived_at = now() WHERE id = ${archived.id}`;
    expect((await s.owner.directories.get({ directoryId: id })).memberCount).toBe(2);
    expect(await s.owner.directories.delete({ directoryId: id })).toEqual({ detachedMembers: 2 });
    const members = await db().user.findMany({ where: { id: { in: [active.id, archived.id] } } });
    expect(members.map((member) => [member.state, member.userDirectoryId, member.directoryEntryId, member.directoryDn])).toEqual(
      expect.arrayContaining([["active", null, null, null], ["archived", null, null, null]]),
    );
    const event = await db().auditEvent.findFirstOrThrow({ where: { tenantId: s.tenant.id, action: "directory.deleted" } });
    expect(event.changes).toMatchObject({ detachedMembers: { before: 2 } });
    // An archived member stays read-only otherwise.
    await expect(db().user.update({ where: { id: archived.id }, data: { title: "Changed" } })).rejects.toThrow(/archived/);
    await expect(db().user.update({ where: { id: archived.id }, data: { userDirectoryId: null, directoryEntryId: "sneaky" } })).rejects.toThrow(/archived/);
  });
});

describe("directories: races", () => {
  it("holds the cap on directories per organisation however many creates arrive at once", async () => {
    const s = await scene();
    const results = await Promise.allSettled(Array.from({ length: MAX_DIRECTORIES + 5 }, (_, n) => s.owner.directories.create(settings({ name: `Directory ${n}` }))));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(MAX_DIRECTORIES);
    for (const result of results.filter((result) => result.status === "rejected")) expect(result.reason).toMatchObject({ code: "CONFLICT" });
    expect(await db().directory.count({ where: { tenantId: s.tenant.id } })).toBe(MAX_DIRECTORIES);
  });

  it("refuses to delete a directory while a sync of it runs", async () => {
    const s = await scene();
    const { id } = await s.owner.directories.create(settings());
    const run = await db().directorySyncRun.create({ data: { tenantId: s.tenant.id, directoryId: BigInt(id), kind: "full", dryRun: true, status: "reading" } });
    await expect(s.owner.directories.delete({ directoryId: id })).rejects.toMatchObject({ code: "CONFLICT" });
    await db().directorySyncRun.update({ where: { id: run.id }, data: { status: "planned" } });
    expect(await s.owner.directories.delete({ directoryId: id })).toEqual({ detachedMembers: 0 });
  });

  it("runs parallel changes and a deletion of one directory in turn: one change from a version saves, the others are told, or find it gone", async () => {
    const s = await scene();
    const { id } = await s.owner.directories.create(settings({ name: "Raced" }));
    const version = await versionOf(id);
    const calls = [
      ...Array.from({ length: 8 }, (_, n) => () => s.owner.directories.update({ directoryId: id, expectedSettingsUpdatedAt: version, ...settings({ name: "Raced", bindPassword: `secret-${n}` }) })),
      () => s.owner.directories.delete({ directoryId: id }),
      ...Array.from({ length: 8 }, (_, n) => () => s.owner.directories.update({ directoryId: id, expectedSettingsUpdatedAt: version, ...settings({ name: "Raced", pageSize: 100 + n }) })),
    ];
    const results = await Promise.allSettled(calls.map((call) => call()));
    const codes = results.map((result) => (result.status === "fulfilled" ? "ok" : (result.reason as { code: string }).code));
    expect(codes.every((code) => ["ok", "CONFLICT", "NOT_FOUND"].includes(code)), codes.join(",")).toBe(true);
    // The deletion is one of the calls that succeed; of the saves, at most one (the others started from the same version).
    expect(codes.filter((code) => code === "ok").length, codes.join(",")).toBeLessThanOrEqual(2);
    expect(await db().directory.count({ where: { id: BigInt(id) } })).toBe(0);
  });

  it("refuses a save over someone else's, saying when they saved; a save that changes nothing keeps the version", async () => {
    const s = await scene();
    const { id } = await s.owner.directories.create(settings({ name: "Shared", pageSize: 200 }));
    const opened = await versionOf(id);
    expect((await s.owner.directories.get({ directoryId: id })).settingsUpdatedAt).toEqual(opened);
    // Saving what is stored changes nothing, not even the version: the other form can still save.
    const unchanged = await s.owner.directories.update({ directoryId: id, expectedSettingsUpdatedAt: opened, ...settings({ name: "Shared", pageSize: 200, bindPassword: "" }) });
    expect(unchanged.settingsUpdatedAt).toEqual(opened);
    // A sync moves updatedAt, never the settings' version.
    await db().directory.update({ where: { id: BigInt(id) }, data: { lastSyncedAt: new Date(), updatedAt: new Date(Date.now() + 1000) } });
    const first = await s.owner.directories.update({ directoryId: id, expectedSettingsUpdatedAt: opened, ...settings({ name: "Shared", pageSize: 300, bindPassword: "" }) });
    expect(first.settingsUpdatedAt.getTime()).toBeGreaterThan(opened.getTime());

    const stale = await refusalOf(s.owner.directories.update({ directoryId: id, expectedSettingsUpdatedAt: opened, ...settings({ name: "Shared", pageSize: 400, bindPassword: "" }) }));
    expect(stale).toMatchObject({ code: "CONFLICT" });
    expect((stale as Error).message).toBe(`Someone changed the settings of Shared at ${first.settingsUpdatedAt.toISOString()} after you opened them. Reload to see their changes, then edit again.`);
    expect(fieldErrorsOf(stale)).toEqual({});
    const row = await db().directory.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(row.pageSize).toBe(300);
    const events = await db().auditEvent.findMany({ where: { tenantId: s.tenant.id, action: "directory.updated" } });
    expect(events.map((event) => event.changes)).toEqual([{ pageSize: { before: 200, after: 300 } }]);

    // From the new version the save goes through; a version that is not a date is refused at the boundary.
    await s.owner.directories.update({ directoryId: id, expectedSettingsUpdatedAt: first.settingsUpdatedAt, ...settings({ name: "Shared", pageSize: 400, bindPassword: "" }) });
    expect((await db().directory.findUniqueOrThrow({ where: { id: BigInt(id) } })).pageSize).toBe(400);
    for (const version of ["2026-12-05T10:00:00.000Z", null, undefined, 0]) {
      const refused = await refusalOf(s.owner.directories.update({ directoryId: id, expectedSettingsUpdatedAt: version as unknown as Date, ...settings({ name: "Shared", bindPassword: "" }) }));
      expect(refused).toMatchObject({ code: "BAD_REQUEST" });
    }
  });
});

describe("directories: test connection and preview", () => {
  it("connects, binds and finds entries; says what is wrong otherwise", async () => {
    const s = await scene();
    const test = (overrides: Partial<TDirectoryInput>) => s.owner.directories.testConnection({ settings: connectionOf(settings(overrides)) });
    expect(await test({})).toMatchObject({ ok: true, message: expect.stringContaining("finds entries") as unknown });
    expect(await test({ bindPassword: "wrong" })).toEqual({ ok: false, message: "The directory refused the bind DN or password" });
    expect(await test({ url: "ldap://127.0.0.1:1" })).toMatchObject({ ok: false, message: expect.stringContaining("Nothing answers") as unknown });
    expect(await test({ url: slapd.secureUrl! })).toMatchObject({ ok: false, message: expect.stringContaining("not trusted") as unknown });
    expect(await test({ url: slapd.secureUrl!, caCertificate: slapd.caCertificate })).toMatchObject({ ok: true });
    expect(await test({ url: slapd.url.replace("127.0.0.1", "localhost"), startTls: true, caCertificate: slapd.caCertificate })).toMatchObject({ ok: true });
    expect(await test({ url: slapd.url.replace("127.0.0.1", "localhost"), startTls: true })).toMatchObject({ ok: false, message: expect.stringContaining("not trusted") as unknown });
    expect(await test({ baseDn: `ou=nowhere,${slapd.suffix}` })).toMatchObject({ ok: false, message: expect.stringContaining("does not exist") as unknown });
  });

  it("previews the first 20 entries mapped, with the field Tenure refuses in words", async () => {
    const s = await scene();
    const { id } = await s.owner.directories.create(settings());
    const preview = await s.admin.directories.preview({ directoryId: id });
    if (!preview.ok) throw new Error(preview.message);
    expect(preview.entries).toHaveLength(PREVIEW_SIZE);
    const broken = preview.entries.find((entry) => entry.fields.username === "broken")!;
    expect(broken).toMatchObject({ dn: `uid=broken,ou=Engineering,ou=people,${slapd.suffix}`, departmentPath: ["Engineering"], disabled: false });
    expect(broken.problems).toEqual([expect.objectContaining({ field: "email" })]);
    expect(broken.problems[0]!.message.length).toBeGreaterThan(5);
    const fine = preview.entries.find((entry) => entry.fields.username === "person0")!;
    expect(fine).toMatchObject({ problems: [], fields: { email: "person0@example.org", firstName: "Person0", lastName: "Tester" } });
    expect(fine.entryId).toMatch(/^[0-9a-f-]{36}$/);
    // Unsaved values (an owner's form) preview the same way.
    const unsaved = await s.owner.directories.preview({ settings: connectionOf(settings({ userFilter: "(uid=person1*)" })) });
    expect(unsaved.ok && unsaved.entries.map((entry) => entry.fields.username).sort()).toEqual(["person1", ...Array.from({ length: 10 }, (_, n) => `person1${n}`)]);
  });

  it("gives an organisation a limited number of probes a minute, however many arrive at once", async () => {
    const s = await scene();
    const { id } = await s.owner.directories.create(settings({ url: "ldap://127.0.0.1:1" }));
    const burst = await Promise.allSettled(Array.from({ length: DIRECTORY_PROBE_LIMIT.capacity + 5 }, () => s.admin.directories.testConnection({ directoryId: id })));
    expect(burst.filter((result) => result.status === "fulfilled")).toHaveLength(DIRECTORY_PROBE_LIMIT.capacity);
    for (const result of burst.filter((result) => result.status === "rejected")) expect(result.reason).toMatchObject({ code: "CONFLICT" });
    await expect(s.owner.directories.preview({ directoryId: id })).rejects.toMatchObject({ code: "CONFLICT" });
    // Another organisation is not held back by this one.
    const other = await scene();
    const { id: otherId } = await other.owner.directories.create(settings({ url: "ldap://127.0.0.1:1" }));
    expect(await other.admin.directories.testConnection({ directoryId: otherId })).toMatchObject({ ok: false });
  });
});
