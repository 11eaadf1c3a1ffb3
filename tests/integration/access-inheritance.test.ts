import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { can, coveringPermissions } from "@/server/access/can";
import { explainPermission, whoHas } from "@/server/access/who-has";
import { listMemberAccess } from "@/server/access/list-member-access";
import { previewAccessChange, recordingAccessChanges } from "@/server/access-changes/access-changes";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { deleteCatalogItem } from "@/server/access/manage-catalog";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { lifecycleScene } from "../support/lifecycle";
import { comparable, effectiveAccessFromScratch, heatmapCountsFromScratch, storedEffectiveAccess, storedHeatmapCounts, storedHoldings } from "../support/access-model";

// Every inheritance path (direct, group, department, ancestor's subtree) and
// its removal, checked against member_access (what can() reads) and against a
// from-scratch recomputation.

async function org() {
  const tenant = await createTenant();
  const t = tenant.id;
  const department = (name: string, parentId: bigint | null = null) => db().department.create({ data: { tenantId: t, name, parentId } });
  const engineering = await department("Engineering");
  const platform = await department("Platform", engineering.id);
  const storage = await department("Storage", platform.id);
  const sales = await department("Sales");
  const role = (name: string) => db().role.create({ data: { tenantId: t, name } });
  const policy = (permission: string) => db().policy.create({ data: { tenantId: t, name: permission, permission } });
  const developer = await role("Developer");
  const auditor = await role("Auditor");
  const repoWrite = await policy("repo:write");
  const repoAll = await policy("repo:*");
  const readAll = await policy("*:read");
  await db().rolePolicy.createMany({ data: [{ roleId: developer.id, policyId: repoWrite.id }, { roleId: auditor.id, policyId: readAll.id }] });
  const wiki = await db().application.create({ data: { tenantId: t, name: "Wiki" } });
  const oncall = await db().group.create({ data: { tenantId: t, name: "On-call" } });
  const member = async (departmentId?: bigint) => {
    const created = await createMember(t);
    if (departmentId) await db().departmentMember.create({ data: { departmentId, userId: created.id } });
    return created;
  };
  return { tenant, t, engineering, platform, storage, sales, developer, auditor, repoWrite, repoAll, readAll, wiki, oncall, member };
}

const held = (memberId: bigint) => storedHoldings(memberId);

async function expectConsistent(tenantId: bigint) {
  expect(comparable(await storedEffectiveAccess(tenantId))).toEqual(comparable(await effectiveAccessFromScratch(tenantId)));
  expect(await storedHeatmapCounts(tenantId)).toEqual(await heatmapCountsFromScratch(tenantId));
}

describe("inheritance paths", () => {
  it("a department grant reaches its own members only; with subtree, every department below; both go when revoked", async () => {
    const o = await org();
    const [inEngineering, inPlatform, inStorage, inSales] = [await o.member(o.engineering.id), await o.member(o.platform.id), await o.member(o.storage.id), await o.member(o.sales.id)];
    await db().departmentRole.create({ data: { departmentId: o.engineering.id, roleId: o.developer.id } });
    expect(await can(db(), o.t, inEngineering.id, "repo:write")).toBe(true);
    expect(await can(db(), o.t, inPlatform.id, "repo:write")).toBe(false);

    await db().departmentRole.update({ where: { departmentId_roleId: { departmentId: o.engineering.id, roleId: o.developer.id } }, data: { subtree: true } });
    for (const reached of [inEngineering, inPlatform, inStorage]) expect(await can(db(), o.t, reached.id, "repo:write")).toBe(true);
    expect(await can(db(), o.t, inSales.id, "repo:write")).toBe(false);
    const why = await explainPermission(db(), o.t, { memberId: inStorage.id.toString(), permission: "repo:write" });
    expect(why.allowed).toBe(true);
    expect(why.paths.map((path) => path.description)).toEqual(["policy repo:write ← role Developer ← department Storage (granted on Engineering, subtree)"]);
    await expectConsistent(o.t);

    await db().departmentRole.update({ where: { departmentId_roleId: { departmentId: o.engineering.id, roleId: o.developer.id } }, data: { subtree: false } });
    expect(await can(db(), o.t, inStorage.id, "repo:write")).toBe(false);
    await db().departmentRole.delete({ where: { departmentId_roleId: { departmentId: o.engineering.id, roleId: o.developer.id } } });
    expect(await held(inEngineering.id)).toEqual([]);
    await expectConsistent(o.t);
  });

  it("applications reach members through departments and groups; leaving the group takes the group's away", async () => {
    const o = await org();
    const someone = await o.member(o.storage.id);
    await db().departmentApplication.create({ data: { departmentId: o.platform.id, applicationId: o.wiki.id, subtree: true } });
    expect(await held(someone.id)).toEqual([`2:${o.wiki.id}`]);
    await db().departmentApplication.deleteMany({ where: { departmentId: o.platform.id } });
    await db().groupApplication.create({ data: { groupId: o.oncall.id, applicationId: o.wiki.id } });
    await db().groupRole.create({ data: { groupId: o.oncall.id, roleId: o.auditor.id } });
    expect(await held(someone.id)).toEqual([]);
    await db().memberGroup.create({ data: { groupId: o.oncall.id, userId: someone.id } });
    expect(await held(someone.id)).toEqual([`1:${o.auditor.id}`, `2:${o.wiki.id}`, `3:${o.readAll.id}`]);
    const why = await explainPermission(db(), o.t, { memberId: someone.id.toString(), permission: "members:read" });
    expect(why.paths.map((path) => path.description)).toEqual(["policy *:read ← role Auditor ← group On-call"]);
    await db().memberGroup.deleteMany({ where: { userId: someone.id } });
    expect(await held(someone.id)).toEqual([]);
    await expectConsistent(o.t);
  });

  it("a transfer, a department move and a role's policies change access at once, in the changing transaction", async () => {
    const o = await org();
    const mover = await o.member(o.sales.id);
    await db().departmentRole.create({ data: { departmentId: o.engineering.id, roleId: o.developer.id, subtree: true } });
    await db().$transaction(async (tx) => {
      await tx.departmentMember.deleteMany({ where: { userId: mover.id } });
      await tx.departmentMember.create({ data: { departmentId: o.storage.id, userId: mover.id } });
      expect(await can(tx, o.t, mover.id, "repo:write")).toBe(true); // inside the transaction already
    });
    // Storage's parent, Platform, moves to the top: the subtree grant on Engineering no longer reaches it.
    await db().department.update({ where: { id: o.platform.id }, data: { parentId: null } });
    expect(await can(db(), o.t, mover.id, "repo:write")).toBe(false);
    await db().department.update({ where: { id: o.platform.id }, data: { parentId: o.engineering.id } });
    expect(await can(db(), o.t, mover.id, "repo:write")).toBe(true);

    // The role loses the policy: gone, unless held by another path.
    const direct = await o.member(o.engineering.id);
    await db().memberPolicy.create({ data: { userId: direct.id, policyId: o.repoWrite.id } });
    await db().rolePolicy.delete({ where: { roleId_policyId: { roleId: o.developer.id, policyId: o.repoWrite.id } } });
    expect(await can(db(), o.t, mover.id, "repo:write")).toBe(false);
    expect(await can(db(), o.t, direct.id, "repo:write")).toBe(true);
    await db().rolePolicy.create({ data: { roleId: o.developer.id, policyId: o.repoAll.id } });
    expect(await can(db(), o.t, mover.id, "repo:write")).toBe(true); // repo:* covers it
    await expectConsistent(o.t);
  });

  it("a member who cannot sign in holds nothing, inherited or not; enabling brings back exactly what the paths give", async () => {
    const o = await org();
    const someone = await o.member(o.engineering.id);
    await db().departmentRole.create({ data: { departmentId: o.engineering.id, roleId: o.developer.id } });
    await db().memberRole.create({ data: { userId: someone.id, roleId: o.auditor.id } });
    for (const state of ["locked", "disabled", "pending", "resigned"] as const) {
      await db().user.update({ where: { id: someone.id }, data: { state } });
      expect(await held(someone.id), state).toEqual([]);
      expect(await can(db(), o.t, someone.id, "repo:write"), state).toBe(false);
      const why = await explainPermission(db(), o.t, { memberId: someone.id.toString(), permission: "repo:write" });
      expect(why).toMatchObject({ allowed: false, canSignIn: false });
      expect(why.paths).toHaveLength(1); // shown, counting for nothing
      await expectConsistent(o.t);
    }
    const { changes } = await db().$transaction((tx) => recordingAccessChanges(tx, () => tx.user.update({ where: { id: someone.id }, data: { state: "active" } })));
    expect(changes.members[0]!.gained.map((item) => item.name).sort()).toEqual(["*:read", "Auditor", "Developer", "repo:write"]);
    expect(await can(db(), o.t, someone.id, "repo:write")).toBe(true);
  });

  it("deleting a role, a group or a department takes what it gave", async () => {
    const o = await org();
    const someone = await o.member(o.storage.id);
    await db().departmentRole.create({ data: { departmentId: o.platform.id, roleId: o.developer.id, subtree: true } });
    await db().groupRole.create({ data: { groupId: o.oncall.id, roleId: o.auditor.id } });
    await db().memberGroup.create({ data: { groupId: o.oncall.id, userId: someone.id } });
    expect((await held(someone.id)).length).toBe(4);
    await db().group.delete({ where: { id: o.oncall.id } });
    await db().role.delete({ where: { id: o.developer.id } });
    expect(await held(someone.id)).toEqual([]);
    await expectConsistent(o.t);
  });
});

describe("deleting from the catalogue", () => {
  it("a role held only through a department is taken from its members, each with a member.access_changed event naming it", async () => {
    const o = await org();
    const admin = await createMember(o.t, { role: "admin" });
    const someone = await o.member(o.storage.id);
    await db().departmentRole.create({ data: { departmentId: o.engineering.id, roleId: o.developer.id, subtree: true } });
    await deleteCatalogItem(db(), { tenantId: o.t, memberId: admin.id }, { kind: "role", itemId: o.developer.id.toString() });
    expect(await held(someone.id)).toEqual([]);
    const event = await db().auditEvent.findFirstOrThrow({ where: { targetId: someone.id, action: "member.access_changed" } });
    expect(event.changes).toMatchObject({
      access: { before: [{ kind: "role", name: "Developer" }, { kind: "permission", name: "repo:write" }], after: [] },
      cause: { after: { action: "role.deleted", targetType: "role" } },
    });
    const deleted = await db().auditEvent.findFirstOrThrow({ where: { tenantId: o.t, action: "role.deleted" } });
    expect(deleted.changes).toMatchObject({ accessChanges: { after: { affected: 1, gained: 0, lost: 2 } } });
  });
});

describe("can()", () => {
  it("matches wildcards on either side, and a wildcard request only by a held wildcard", async () => {
    expect(coveringPermissions("repo:write")).toEqual(["repo:write", "repo:*", "*:write", "*:*"]);
    expect(coveringPermissions("repo:*")).toEqual(["repo:*", "*:*"]);
    expect(coveringPermissions("*:*")).toEqual(["*:*"]);
    expect(() => coveringPermissions("no colon")).toThrow();
    const o = await org();
    const auditor = await o.member(o.sales.id);
    await db().memberRole.create({ data: { userId: auditor.id, roleId: o.auditor.id } });
    expect(await can(db(), o.t, auditor.id, "anything:read")).toBe(true);
    expect(await can(db(), o.t, auditor.id, "anything:write")).toBe(false);
    expect(await can(db(), o.t, auditor.id, "anything:*")).toBe(false);
    const developer = await o.member(o.sales.id);
    await db().memberPolicy.create({ data: { userId: developer.id, policyId: o.repoAll.id } });
    expect(await can(db(), o.t, developer.id, "repo:*")).toBe(true);
    expect(await can(db(), o.t, developer.id, "repo:delete")).toBe(true);
    expect(await can(db(), o.t, developer.id, "*:delete")).toBe(false);
  });

  it("never answers across tenants: another organisation's member or permission is simply not held", async () => {
    const o = await org();
    const other = await org();
    const theirs = await other.member(other.engineering.id);
    await db().memberPolicy.create({ data: { userId: theirs.id, policyId: other.repoWrite.id } });
    expect(await can(db(), other.t, theirs.id, "repo:write")).toBe(true);
    expect(await can(db(), o.t, theirs.id, "repo:write")).toBe(false);
  });
});

describe("who has X, and why", () => {
  it("lists holders in keyset pages with their paths, and never a member who cannot sign in", async () => {
    const o = await org();
    await db().departmentRole.create({ data: { departmentId: o.engineering.id, roleId: o.developer.id, subtree: true } });
    const holders = [];
    for (let index = 0; index < 5; index += 1) holders.push(await o.member(index % 2 ? o.platform.id : o.storage.id));
    const direct = await o.member(o.sales.id);
    await db().memberPolicy.create({ data: { userId: direct.id, policyId: o.repoAll.id } });
    await db().user.update({ where: { id: holders[4]!.id }, data: { state: "disabled" } });

    const first = await whoHas(db(), o.t, { subject: { kind: "permission", permission: "repo:write" }, limit: 3 });
    expect(first.subject.coveredBy).toEqual(["repo:*", "repo:write"]);
    expect(first.items.map((holder) => holder.memberId)).toEqual(holders.slice(0, 3).map((member) => member.id.toString()));
    expect(first.items[0]!.paths.map((path) => path.description)).toEqual(["policy repo:write ← role Developer ← department Storage (granted on Engineering, subtree)"]);
    const second = await whoHas(db(), o.t, { subject: { kind: "permission", permission: "repo:write" }, limit: 3, cursor: first.nextCursor });
    expect(second.items.map((holder) => holder.memberId)).toEqual([holders[3]!.id.toString(), direct.id.toString()]);
    expect(second.items[1]!.paths.map((path) => path.description)).toEqual(["policy repo:* ← granted directly"]);
    expect(second.nextCursor).toBeNull();

    const byRole = await whoHas(db(), o.t, { subject: { kind: "role", itemId: o.developer.id.toString() } });
    expect(byRole.items).toHaveLength(4);
    const other = await org();
    await expect(whoHas(db(), other.t, { subject: { kind: "role", itemId: o.developer.id.toString() } })).rejects.toThrow(/does not exist/);
    expect((await whoHas(db(), other.t, { subject: { kind: "permission", permission: "repo:write" } })).items).toEqual([]);
  });

  it("the Access tab shows every effective item with its paths", async () => {
    const o = await org();
    const someone = await o.member(o.storage.id);
    await db().departmentRole.create({ data: { departmentId: o.engineering.id, roleId: o.developer.id, subtree: true } });
    await db().memberRole.create({ data: { userId: someone.id, roleId: o.developer.id } });
    const access = await listMemberAccess(db(), o.t, someone.id);
    expect(access.effectiveCounts).toBe(true);
    expect(access.effective.map((item) => [item.kind, item.name, item.paths])).toEqual([
      ["role", "Developer", ["role Developer ← granted directly", "role Developer ← department Storage (granted on Engineering, subtree)"]],
      ["permission", "repo:write", ["policy repo:write ← role Developer ← granted directly", "policy repo:write ← role Developer ← department Storage (granted on Engineering, subtree)"]],
    ]);
  });
});

describe("previews and recorded changes", () => {
  it("a preview shows who gains and loses, and leaves nothing behind", async () => {
    const o = await org();
    const [a, b] = [await o.member(o.platform.id), await o.member(o.storage.id)];
    const before = comparable(await storedEffectiveAccess(o.t));
    const preview = await previewAccessChange(db(), (tx) => tx.departmentRole.create({ data: { departmentId: o.engineering.id, roleId: o.developer.id, subtree: true } }));
    expect(preview.changes.affected).toBe(2);
    expect(preview.changes.totals).toEqual({ gained: 4, lost: 0 });
    expect(preview.changes.members.map((member) => [member.memberId, member.gained.map((item) => `${item.kind} ${item.name}`)])).toEqual([
      [a.id.toString(), ["role Developer", "permission repo:write"]],
      [b.id.toString(), ["role Developer", "permission repo:write"]],
    ]);
    expect(comparable(await storedEffectiveAccess(o.t))).toEqual(before);
    expect(await db().departmentRole.count({ where: { departmentId: o.engineering.id } })).toBe(0);
    await expectConsistent(o.t);
  });
});

describe("procedures", () => {
  it("are for administrators of the organisation only, and refuse malformed permissions", async () => {
    const o = await org();
    const { sessionId: memberSession, member } = await createSignedInMember(o.t);
    const asMember = createCaller(await createContextForSessionId(memberSession));
    await expect(asMember.access.can({ memberId: member.id.toString(), permission: "repo:write" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asMember.access.whoHas({ subject: { kind: "permission", permission: "repo:write" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const anonymous = createCaller(await createContextForSessionId(null));
    await expect(anonymous.access.why({ memberId: member.id.toString(), permission: "repo:write" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const { sessionId } = await createSignedInMember(o.t, { role: "admin" });
    const admin = createCaller(await createContextForSessionId(sessionId));
    expect(await admin.access.can({ memberId: member.id.toString(), permission: "repo:write" })).toEqual({ allowed: false });
    for (const permission of ["", "repo", "repo:write:extra", "a\u0000:b", "x".repeat(1_000_000), "re*po:write"]) {
      await expect(admin.access.can({ memberId: member.id.toString(), permission })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
  });
});

describe("concurrency", () => {
  it("50 parallel access changes to the same members leave member_access equal to a recomputation", async () => {
    const o = await org();
    const members = [await o.member(o.storage.id), await o.member(o.platform.id), await o.member(o.engineering.id)];
    const work = Array.from({ length: 50 }, (_, index) => async () => {
      const member = members[index % 3]!;
      switch (index % 5) {
        case 0:
          return db().departmentRole.upsert({ where: { departmentId_roleId: { departmentId: o.engineering.id, roleId: o.developer.id } }, create: { departmentId: o.engineering.id, roleId: o.developer.id, subtree: index % 2 === 0 }, update: { subtree: index % 2 === 0 } });
        case 1:
          return db().memberGroup.createMany({ data: [{ groupId: o.oncall.id, userId: member.id }], skipDuplicates: true });
        case 2:
          return db().memberGroup.deleteMany({ where: { groupId: o.oncall.id, userId: member.id } });
        case 3:
          return db().groupRole.createMany({ data: [{ groupId: o.oncall.id, roleId: o.developer.id }], skipDuplicates: true });
        default:
          return db().departmentRole.deleteMany({ where: { departmentId: o.engineering.id } });
      }
    });
    const results = await Promise.allSettled(work.map((run) => run()));
    const failures = results.filter((result) => result.status === "rejected").map((result) => String((result).reason));
    expect(failures.filter((failure) => !/Unique constraint|unique/i.test(failure))).toEqual([]);
    await expectConsistent(o.t);
  });
});

describe("lifecycle keeps its promises with inherited access", () => {
  it("disable's receipt lists inherited access ended and proves it zero; enable names everything that comes back, new grants included", async () => {
    const scene = await lifecycleScene();
    const { member } = await scene.newMember();
    const t = scene.tenant.id;
    const inherited = await db().role.create({ data: { tenantId: t, name: "Deployer" } });
    const deploy = await db().policy.create({ data: { tenantId: t, name: "Deploy", permission: "deploy:run" } });
    await db().rolePolicy.create({ data: { roleId: inherited.id, policyId: deploy.id } });
    await db().departmentRole.create({ data: { departmentId: scene.department.id, roleId: inherited.id } });
    expect(await can(db(), t, member.id, "deploy:run")).toBe(true);

    await runLifecycleAction(db(), scene.actor, { action: "disable", memberIds: [member.id.toString()], reason: "Investigation" });
    expect(await can(db(), t, member.id, "deploy:run")).toBe(false);
    const receipt = await db().lifecycleReceipt.findFirstOrThrow({ where: { userId: member.id } });
    const lost = (receipt.revoked as { effectiveAccess: { kind: string; name: string }[] }).effectiveAccess.map((item) => `${item.kind} ${item.name}`).sort();
    expect(lost).toEqual(["application Payroll", "permission deploy:run", "permission tickets:read", "role Deployer", "role Support"]);
    expect(receipt.zeroAccessMs).not.toBeNull();

    // While disabled, the department is given more; enabling says so in its audit event.
    const extra = await db().application.create({ data: { tenantId: t, name: "Grafana" } });
    await db().departmentApplication.create({ data: { departmentId: scene.department.id, applicationId: extra.id } });
    expect(await held(member.id)).toEqual([]);
    await runLifecycleAction(db(), scene.actor, { action: "enable", memberIds: [member.id.toString()] });
    const enabled = await db().auditEvent.findFirstOrThrow({ where: { targetId: member.id, action: "member.enable" } });
    expect((enabled.changes as { effectiveAccess: { after: string[] } }).effectiveAccess.after.sort()).toEqual(["application Grafana", "permission deploy:run", "role Deployer", "role Support"]);
  });
});
