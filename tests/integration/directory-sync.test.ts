import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Attribute, Change } from "ldapts";
import { GET as reportGet } from "@/app/api/directory-sync-runs/[runId]/report/route";
import { db } from "@/server/db/client";
import { markSteppedUp } from "@/server/auth/step-up";
import { runSyncJob } from "@/server/directories/run-sync-job";
import { queueDueSyncs, resumeStalledSyncs } from "@/server/directories/schedule-syncs";
import { transitionMembers } from "@/server/lifecycle/transition-members";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { createDirectory, type TDirectoryOverrides } from "../support/directories";
import { sessionCookieFor } from "../support/session-cookie";
import { organisationalUnit, person, startSlapd, type TSlapd } from "../support/slapd";
import { runDueJobs } from "./member-import-helpers";

// The sync engine against a real slapd and real graphile-worker jobs: identity
// (renames and moves keep the member), linking, departments and groups, the
// first sync's dry run and approval, incremental runs, deprovisioning and the
// safety stop, resuming after a death mid-apply, reports, and who may do what.

let slapd: TSlapd;
beforeAll(async () => {
  slapd = await startSlapd();
}, 60_000);
afterAll(async () => slapd.stop());

let ouSequence = 0;
/** A fresh OU (the directory's base) with people in it, so tests share one slapd without meeting. */
async function peopleUnit(uids: string[], sub?: (uid: string) => string | undefined) {
  const ou = `t${++ouSequence}`;
  await slapd.add([organisationalUnit(slapd.suffix, ou)]);
  const subs = [...new Set(uids.map((uid) => sub?.(uid)).filter((name): name is string => Boolean(name)))];
  await slapd.add(subs.map((name) => organisationalUnit(slapd.suffix, `${name},${ou}`)));
  await slapd.add(uids.map((uid) => person(slapd.suffix, uid, { ou: sub?.(uid) ? `${sub(uid)},ou=${ou}` : ou })));
  return { ou, baseDn: `ou=${ou},${slapd.suffix}` };
}

async function ownerOf(tenantId: bigint) {
  const { member, sessionId } = await createSignedInMember(tenantId, { role: "owner" });
  await markSteppedUp(db(), sessionId);
  return { member, sessionId, caller: createCaller(await createContextForSessionId(sessionId)), cookie: await sessionCookieFor(sessionId) };
}

async function scene(uids: string[], overrides: TDirectoryOverrides = {}, sub?: (uid: string) => string | undefined) {
  const tenant = await createTenant();
  const owner = await ownerOf(tenant.id);
  const unit = await peopleUnit(uids, sub);
  const directory = await createDirectory(tenant.id, slapd, { baseDn: unit.baseDn, ...overrides });
  return { tenant, owner, unit, directory };
}

/** "Sync now", then the real jobs until nothing is due. */
async function syncNow(caller: ReturnType<typeof createCaller>, directoryId: bigint, kind: "full" | "incremental" = "full") {
  const { runId } = await caller.directorySync.start({ directoryId: directoryId.toString(), kind });
  await runDueJobs();
  return caller.directorySync.run({ runId });
}

const synced = (directoryId: bigint) =>
  db().user.findMany({ where: { userDirectoryId: directoryId }, orderBy: { username: "asc" }, select: { id: true, username: true, state: true, source: true, directoryEntryId: true, directoryDn: true, mainDepartmentId: true } });

async function ldapModify(dn: string, changes: Change[]) {
  const client = await slapd.rootClient();
  try {
    await client.modify(dn, changes);
  } finally {
    await client.unbind();
  }
}

describe("directory sync", () => {
  it("the first sync is a dry run listing creates and links; an owner approves and exactly that plan is applied; a second sync creates nothing", async () => {
    const { tenant, owner, directory } = await scene(["ada", "grace", "linus"]);
    const existing = await createMember(tenant.id, { username: "linus" });
    const dry = await syncNow(owner.caller, directory.id);
    expect(dry).toMatchObject({ status: "awaiting_approval", dryRun: true, entriesRead: 3, creates: 2, links: 1, deprovisions: 0, errors: 0 });
    expect(await synced(directory.id)).toHaveLength(0);
    const links = await owner.caller.directorySync.entries({ runId: dry.id, action: "link" });
    expect(links.entries).toMatchObject([{ username: "linus", memberId: existing.id.toString() }]);

    await owner.caller.directorySync.approve({ runId: dry.id });
    await runDueJobs();
    const applied = await owner.caller.directorySync.run({ runId: dry.id });
    expect(applied).toMatchObject({ status: "succeeded", applied: 3, creates: 2, links: 1 });
    const members = await synced(directory.id);
    expect(members.map((member) => member.username)).toEqual(["ada", "grace", "linus"]);
    expect(members.find((member) => member.username === "linus")!.id).toBe(existing.id);
    expect(members.filter((member) => member.source === "ldap")).toHaveLength(2);
    expect((await db().directory.findUniqueOrThrow({ where: { id: directory.id } })).firstSyncApprovedAt).not.toBeNull();
    const events = await db().auditEvent.count({ where: { tenantId: tenant.id, action: "member.synced", actorDirectoryId: directory.id } });
    expect(events).toBe(3);

    const again = await syncNow(owner.caller, directory.id);
    expect(again).toMatchObject({ status: "succeeded", dryRun: false, creates: 0, links: 0, updates: 0, unchanged: 3 });
    expect(await db().user.count({ where: { tenantId: tenant.id } })).toBe(4);
  });

  it("a rename and a move in LDAP (modifyDN) update the same member, mirror the OUs as departments and transfer the person", async () => {
    const { tenant, owner, unit, directory } = await scene(["ada", "bob"], { departmentSource: "ou_path", firstSyncApproved: true }, (uid) => (uid === "ada" ? "Engineering" : "Sales"));
    expect(await syncNow(owner.caller, directory.id)).toMatchObject({ status: "succeeded", creates: 2 });
    const departments = await db().department.findMany({ where: { tenantId: tenant.id, directoryId: directory.id }, orderBy: { name: "asc" } });
    expect(departments.map((department) => department.name)).toEqual(["Engineering", "Sales"]);
    const [ada] = (await synced(directory.id)).filter((member) => member.username === "ada");
    expect(ada!.mainDepartmentId).toBe(departments[0]!.id);

    const client = await slapd.rootClient();
    try {
      await client.modifyDN(`uid=ada,ou=Engineering,${unit.baseDn}`, `uid=ada2,ou=Sales,${unit.baseDn}`);
      await client.modify(`uid=ada2,ou=Sales,${unit.baseDn}`, [new Change({ operation: "replace", modification: new Attribute({ type: "uid", values: ["ada2"] }) })]);
    } finally {
      await client.unbind();
    }
    const run = await syncNow(owner.caller, directory.id);
    expect(run).toMatchObject({ status: "succeeded", creates: 0, moves: 1 });
    const after = await db().user.findUniqueOrThrow({ where: { id: ada!.id } });
    expect(after).toMatchObject({ username: "ada2", mainDepartmentId: departments[1]!.id, directoryDn: `uid=ada2,ou=Sales,${unit.baseDn}` });
    expect(await db().departmentMember.findMany({ where: { userId: ada!.id }, select: { departmentId: true } })).toEqual([{ departmentId: departments[1]!.id }]);
    expect(await db().auditEvent.count({ where: { action: "member.transferred", targetId: ada!.id, actorDirectoryId: directory.id } })).toBe(1);
    expect(await db().user.count({ where: { tenantId: tenant.id } })).toBe(3);
  });

  it("an entry deleted from LDAP disables its member with a receipt naming the directory; a wrong base DN stops the run and disables nobody", async () => {
    const uids = Array.from({ length: 12 }, (_, n) => `leaver${n}`);
    const { owner, unit, directory } = await scene(uids, { firstSyncApproved: true });
    await syncNow(owner.caller, directory.id);
    const client = await slapd.rootClient();
    await client.del(`uid=leaver0,${unit.baseDn}`);
    await client.unbind();
    const run = await syncNow(owner.caller, directory.id);
    expect(run).toMatchObject({ status: "succeeded", deprovisions: 1 });
    const gone = (await synced(directory.id)).find((member) => member.username === "leaver0")!;
    expect(gone.state).toBe("disabled");
    expect(await db().lifecycleReceipt.findFirst({ where: { userId: gone.id }, select: { action: true, actorDirectoryId: true } })).toEqual({ action: "disable", actorDirectoryId: directory.id });

    await db().directory.update({ where: { id: directory.id }, data: { baseDn: `ou=nothing-here,${slapd.suffix}` } });
    await slapd.add([organisationalUnit(slapd.suffix, "nothing-here")]);
    const wrong = await syncNow(owner.caller, directory.id);
    expect(wrong).toMatchObject({ status: "stopped", entriesRead: 0, deprovisions: 11 });
    expect(wrong.stopReason).toMatch(/safety stop of 10%/);
    expect((await synced(directory.id)).filter((member) => member.state === "active")).toHaveLength(11);
    // Cancelled, the plan applies nothing, and the next run may start.
    await owner.caller.directorySync.cancel({ runId: wrong.id });
    await runDueJobs();
    expect((await synced(directory.id)).filter((member) => member.state === "active")).toHaveLength(11);
  });

  it("a share above the safety stop (more than 10% gone) waits for an owner, who may approve it", async () => {
    const uids = Array.from({ length: 10 }, (_, n) => `many${n}`);
    const { owner, unit, directory } = await scene(uids, { firstSyncApproved: true });
    await syncNow(owner.caller, directory.id);
    const client = await slapd.rootClient();
    for (const uid of ["many0", "many1"]) await client.del(`uid=${uid},${unit.baseDn}`);
    await client.unbind();
    const stopped = await syncNow(owner.caller, directory.id);
    expect(stopped).toMatchObject({ status: "stopped", deprovisions: 2 });
    expect((await synced(directory.id)).filter((member) => member.state === "disabled")).toHaveLength(0);
    await owner.caller.directorySync.approve({ runId: stopped.id });
    await runDueJobs();
    expect((await synced(directory.id)).filter((member) => member.state === "disabled").map((member) => member.username)).toEqual(["many0", "many1"]);
  });

  it("an incremental run reads only entries changed since the mark, applies them and advances the mark", async () => {
    const { owner, unit, directory } = await scene(["inc0", "inc1", "inc2", "inc3"], { firstSyncApproved: true });
    await syncNow(owner.caller, directory.id);
    const markBefore = (await db().directory.findUniqueOrThrow({ where: { id: directory.id } })).incrementalMark;
    expect(markBefore).toMatch(/^\d{14}Z$/);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await ldapModify(`uid=inc2,${unit.baseDn}`, [new Change({ operation: "replace", modification: new Attribute({ type: "title", values: ["Lead"] }) })]);
    const run = await syncNow(owner.caller, directory.id, "incremental");
    expect(run).toMatchObject({ status: "succeeded", kind: "incremental", entriesRead: 1, updates: 1 });
    expect((await db().user.findFirstOrThrow({ where: { userDirectoryId: directory.id, username: "inc2" } })).title).toBe("Lead");
    const markAfter = (await db().directory.findUniqueOrThrow({ where: { id: directory.id } })).incrementalMark!;
    expect(markAfter > markBefore!).toBe(true);
    expect(await syncNow(owner.caller, directory.id, "incremental")).toMatchObject({ entriesRead: 0 });
  });

  it("a burst of Sync now at once makes one run", async () => {
    const { owner, directory } = await scene(["twice"]);
    const answers = await Promise.all(Array.from({ length: 8 }, () => owner.caller.directorySync.start({ directoryId: directory.id.toString() })));
    expect(new Set(answers.map((answer) => answer.runId)).size).toBe(1);
    expect(await db().directorySyncRun.count({ where: { directoryId: directory.id } })).toBe(1);
  });

  it("a run resumes after its worker died mid-apply: applied batches are skipped, nothing is written twice", async () => {
    const uids = Array.from({ length: 1_100 }, (_, n) => `bulk${n}`);
    const { owner, directory, tenant } = await scene(uids, { pageSize: 300 });
    const dry = await syncNow(owner.caller, directory.id);
    expect(dry).toMatchObject({ status: "awaiting_approval", creates: 1_100 });
    await owner.caller.directorySync.approve({ runId: dry.id });
    // The job dies after its first batch (a slice of one batch, and no fresh job follows).
    await db().$executeRaw`DELETE FROM graphile_worker._private_jobs`;
    await runSyncJob(db(), BigInt(dry.id), { maxBatches: 1 });
    await db().$executeRaw`DELETE FROM graphile_worker._private_jobs`;
    expect(await owner.caller.directorySync.run({ runId: dry.id })).toMatchObject({ status: "applying", applied: 1_000 });
    expect(await db().user.count({ where: { userDirectoryId: directory.id } })).toBe(1_000);
    await runSyncJob(db(), BigInt(dry.id));
    await runDueJobs();
    expect(await owner.caller.directorySync.run({ runId: dry.id })).toMatchObject({ status: "succeeded", applied: 1_100 });
    expect(await db().user.count({ where: { tenantId: tenant.id, userDirectoryId: directory.id } })).toBe(1_100);
    expect(await db().auditEvent.count({ where: { tenantId: tenant.id, action: "member.synced" } })).toBe(1_100);
  });

  it("an entry Tenure's rules refuse is an error of the run, listed in the report and its CSV; the rest applies", async () => {
    const { owner, unit, directory } = await scene(["fine", "broken"], { firstSyncApproved: true });
    await ldapModify(`uid=broken,${unit.baseDn}`, [new Change({ operation: "replace", modification: new Attribute({ type: "mail", values: ["not an address"] }) })]);
    const run = await syncNow(owner.caller, directory.id);
    expect(run).toMatchObject({ status: "succeeded", creates: 1, errors: 1 });
    const errors = await owner.caller.directorySync.entries({ runId: run.id, action: "error" });
    expect(errors.entries).toHaveLength(1);
    expect(errors.entries[0]!.dn).toBe(`uid=broken,${unit.baseDn}`);
    const response = await reportGet(new Request(`http://localhost:3000/api/directory-sync-runs/${run.id}/report`, { headers: { cookie: owner.cookie } }), {
      params: Promise.resolve({ runId: run.id }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain(`uid=broken,${unit.baseDn}`);
    expect(text).toMatch(/error,no,email,/);
    expect(text).toMatch(/create,yes/);
  });

  it("LDAP groups become Tenure groups with their members kept in step", async () => {
    const { owner, unit, directory, tenant } = await scene(["gadi", "gbea", "gcal"], { firstSyncApproved: true });
    const groupBase = `ou=groups-${unit.ou},${slapd.suffix}`;
    await slapd.add([{ dn: groupBase, attributes: { objectClass: ["top", "organizationalUnit"], ou: `groups-${unit.ou}` } }]);
    const dnOf = (uid: string) => `uid=${uid},${unit.baseDn}`;
    await slapd.add([{ dn: `cn=Ops,${groupBase}`, attributes: { objectClass: ["top", "groupOfNames"], cn: "Ops", member: [dnOf("gadi"), dnOf("gbea")] } }]);
    await db().directory.update({ where: { id: directory.id }, data: { groupBaseDn: groupBase } });
    await syncNow(owner.caller, directory.id);
    const group = await db().group.findFirstOrThrow({ where: { tenantId: tenant.id, directoryId: directory.id }, include: { members: { include: { user: { select: { username: true } } } } } });
    expect(group.name).toBe("Ops");
    expect(group.members.map((member) => member.user.username).sort()).toEqual(["gadi", "gbea"]);
    await ldapModify(`cn=Ops,${groupBase}`, [new Change({ operation: "replace", modification: new Attribute({ type: "member", values: [dnOf("gcal")] }) })]);
    await syncNow(owner.caller, directory.id);
    const after = await db().memberGroup.findMany({ where: { groupId: group.id }, include: { user: { select: { username: true } } } });
    expect(after.map((member) => member.user.username)).toEqual(["gcal"]);
  });

  it("departments from an attribute are created under the directory's parent department", async () => {
    const tenant = await createTenant();
    const owner = await ownerOf(tenant.id);
    const unit = await peopleUnit([]);
    await slapd.add([{ ...person(slapd.suffix, "attr1", { ou: unit.ou }), attributes: { ...person(slapd.suffix, "attr1", { ou: unit.ou }).attributes, departmentNumber: "Finance" } }]);
    const parent = await db().department.create({ data: { tenantId: tenant.id, name: "Company" } });
    const directory = await createDirectory(tenant.id, slapd, { baseDn: unit.baseDn, departmentSource: "attribute", departmentAttribute: "departmentNumber", departmentParentId: parent.id, firstSyncApproved: true });
    await syncNow(owner.caller, directory.id);
    const finance = await db().department.findFirstOrThrow({ where: { tenantId: tenant.id, directoryId: directory.id } });
    expect(finance).toMatchObject({ name: "Finance", parentId: parent.id });
    expect((await db().user.findFirstOrThrow({ where: { userDirectoryId: directory.id } })).mainDepartmentId).toBe(finance.id);
  });

  it("a member linked to another directory is never taken over; later syncs do not link existing members", async () => {
    const { tenant, owner, directory } = await scene(["shared", "later"], { firstSyncApproved: true });
    const other = await createDirectory(tenant.id, null);
    await db().user.update({ where: { id: (await createMember(tenant.id, { username: "shared" })).id }, data: { userDirectoryId: other.id, directoryEntryId: "elsewhere" } });
    await createMember(tenant.id, { username: "later" });
    const run = await syncNow(owner.caller, directory.id);
    expect(run).toMatchObject({ creates: 0, links: 0, errors: 2 });
    const errors = await owner.caller.directorySync.entries({ runId: run.id, action: "error" });
    expect(errors.entries.map((entry) => entry.errors![0]!.message).join(" ")).toMatch(/never taken over.*first sync|first sync.*never taken over/);
  });

  it("a plain member cannot start or read runs; an admin cannot approve; another organisation's runs are not found", async () => {
    const { tenant, owner, directory } = await scene(["guarded"]);
    const dry = await syncNow(owner.caller, directory.id);
    const { sessionId: memberSession } = await createSignedInMember(tenant.id);
    const member = createCaller(await createContextForSessionId(memberSession));
    await expect(member.directorySync.start({ directoryId: directory.id.toString() })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(member.directorySync.run({ runId: dry.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const { sessionId: adminSession } = await createSignedInMember(tenant.id, { role: "admin" });
    await markSteppedUp(db(), adminSession);
    const admin = createCaller(await createContextForSessionId(adminSession));
    await expect(admin.directorySync.approve({ runId: dry.id })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const stranger = await ownerOf((await createTenant()).id);
    await expect(stranger.caller.directorySync.run({ runId: dry.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(stranger.caller.directorySync.entries({ runId: dry.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(stranger.caller.directorySync.approve({ runId: dry.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(stranger.caller.directorySync.cancel({ runId: dry.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(stranger.caller.directorySync.start({ directoryId: directory.id.toString() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(stranger.caller.directorySync.runs({ directoryId: directory.id.toString() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const report = await reportGet(new Request(`http://localhost:3000/api/directory-sync-runs/${dry.id}/report`, { headers: { cookie: stranger.cookie } }), {
      params: Promise.resolve({ runId: dry.id }),
    });
    expect(report.status).toBe(404);
    expect(await db().directorySyncRun.findUniqueOrThrow({ where: { id: BigInt(dry.id) } })).toMatchObject({ status: "awaiting_approval" });
  });
  it("an entry that comes back re-enables the member the directory disabled, never one an admin disabled", async () => {
    const uids = Array.from({ length: 12 }, (_, n) => `back${n}`);
    const { tenant, owner, unit, directory } = await scene(uids, { firstSyncApproved: true });
    await slapd.add([organisationalUnit(slapd.suffix, `away-${unit.ou}`)]);
    await syncNow(owner.caller, directory.id);
    const client = await slapd.rootClient();
    // Moved out of the base DN and back: the same entry (its entryUUID), gone then returned.
    await client.modifyDN(`uid=back0,${unit.baseDn}`, `uid=back0,ou=away-${unit.ou},${slapd.suffix}`);
    await syncNow(owner.caller, directory.id);
    const members = await synced(directory.id);
    const back0 = members.find((member) => member.username === "back0")!;
    const back1 = members.find((member) => member.username === "back1")!;
    expect(back0.state).toBe("disabled");
    await db().$transaction((tx) => transitionMembers(tx, { tenantId: tenant.id, memberId: owner.member.id, sysAdmin: 2 }, "disable", [back1.id]));
    await client.modifyDN(`uid=back0,ou=away-${unit.ou},${slapd.suffix}`, `uid=back0,${unit.baseDn}`);
    await client.unbind();
    const run = await syncNow(owner.caller, directory.id);
    expect(run).toMatchObject({ status: "succeeded", reenables: 1 });
    expect((await db().user.findUniqueOrThrow({ where: { id: back0.id } })).state).toBe("active");
    expect((await db().user.findUniqueOrThrow({ where: { id: back1.id } })).state).toBe("disabled");
  });

  it("an entry LDAP marks disabled deprovisions its member (reason: disabled)", async () => {
    const { owner, unit, directory } = await scene(["lockme", "keepme"], { firstSyncApproved: true, safetyStopPercent: 100, mapping: { disabledSignal: "attribute_present", disabledAttribute: "carLicense" } });
    await syncNow(owner.caller, directory.id);
    await ldapModify(`uid=lockme,${unit.baseDn}`, [new Change({ operation: "add", modification: new Attribute({ type: "carLicense", values: ["disabled"] }) })]);
    const run = await syncNow(owner.caller, directory.id);
    expect(run).toMatchObject({ status: "succeeded", deprovisions: 1 });
    const states = Object.fromEntries((await synced(directory.id)).map((member) => [member.username, member.state]));
    expect(states).toEqual({ lockme: "disabled", keepme: "active" });
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "member.disable", actorDirectoryId: directory.id } });
    expect(JSON.stringify(event.changes)).toMatch(/Disabled in directory/);
  });

  it("the schedule queues due directories (full when no full run in a day, incremental otherwise) and resumes runs whose worker died", async () => {
    const { owner, directory } = await scene(["sched"], { firstSyncApproved: true, syncIntervalMinutes: 5 });
    const unscheduled = await createDirectory((await createTenant()).id, null, { firstSyncApproved: false, syncIntervalMinutes: 5 });
    await queueDueSyncs(db());
    const first = await db().directorySyncRun.findFirstOrThrow({ where: { directoryId: directory.id } });
    expect(first).toMatchObject({ kind: "full", status: "queued" });
    expect(await db().directorySyncRun.count({ where: { directoryId: unscheduled.id } })).toBe(0);
    // Its worker died: the job is gone and the heartbeat old; the watchdog gives it a fresh job.
    await db().$executeRaw`DELETE FROM graphile_worker._private_jobs`;
    await db().directorySyncRun.update({ where: { id: first.id }, data: { createdAt: new Date(Date.now() - 10 * 60_000) } });
    expect(await resumeStalledSyncs(db())).toBeGreaterThanOrEqual(1);
    await runDueJobs();
    expect(await owner.caller.directorySync.run({ runId: first.id.toString() })).toMatchObject({ status: "succeeded" });
    await db().directorySyncRun.update({ where: { id: first.id }, data: { createdAt: new Date(Date.now() - 10 * 60_000) } });
    await queueDueSyncs(db());
    const second = await db().directorySyncRun.findFirstOrThrow({ where: { directoryId: directory.id, id: { gt: first.id } } });
    expect(second.kind).toBe("incremental");
  });
  it("the report download refuses the anonymous, plain members and malformed ids, and filters errors only", async () => {
    const { tenant, owner, unit, directory } = await scene(["csvok", "csvbad"], { firstSyncApproved: true });
    await ldapModify(`uid=csvbad,${unit.baseDn}`, [new Change({ operation: "replace", modification: new Attribute({ type: "mail", values: ["nope"] }) })]);
    const run = await syncNow(owner.caller, directory.id);
    const get = (runId: string, cookie: string | null, query = "") =>
      reportGet(new Request(`http://localhost:3000/api/directory-sync-runs/${encodeURIComponent(runId)}/report${query}`, { headers: cookie ? { cookie } : {} }), {
        params: Promise.resolve({ runId }),
      });
    expect((await get(run.id, null)).status).toBe(401);
    const { sessionId } = await createSignedInMember(tenant.id);
    expect((await get(run.id, await sessionCookieFor(sessionId))).status).toBe(403);
    for (const bad of ["0", "-1", "1e3", "x".repeat(5000), "99999999999999999999999", "1; DROP TABLE users"]) expect((await get(bad, owner.cookie)).status).toBe(404);
    const errorsOnly = await (await get(run.id, owner.cookie, "?errors=only")).text();
    const lines = errorsOnly.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("entry_id,dn,username,action,applied,field,message");
    expect(lines.slice(1)).toHaveLength(1);
    expect(lines[1]).toContain(`uid=csvbad,${unit.baseDn}`);
  });
});
