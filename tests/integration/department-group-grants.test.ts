import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { createCatalogItem } from "@/server/access/manage-catalog";
import { setRolePolicies } from "@/server/access/grant-access";
import { applyGrantChange, previewGrantChange } from "@/server/access/change-grants";
import type { TGrantChangeInput } from "@/server/access/grant-schemas";
import type { TAccessChanges } from "@/server/access-changes/access-changes";
import { StepUpRequiredError } from "@/server/auth/step-up";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { storedHoldings } from "../support/access-model";

// Issue 12, items 1, 4 and 6 for grants: roles and applications granted to
// departments (alone or with their subtree) and groups reach exactly the
// members they should, previews say exactly what the change does, and the
// procedures hold against other tenants, plain members, stale sessions and bursts.

const id = (row: { id: bigint }) => row.id.toString();

async function scene() {
  const tenant = await createTenant();
  const { member: owner, sessionId } = await createSignedInMember(tenant.id, { role: "owner" });
  const actor = { tenantId: tenant.id, memberId: owner.id, sysAdmin: owner.sysAdmin };
  const caller = createCaller(await createContextForSessionId(sessionId));
  const department = (name: string, parentId: bigint | null = null) => db().department.create({ data: { tenantId: tenant.id, name, parentId } });
  const engineering = await department("Engineering");
  const platform = await department("Platform", engineering.id);
  const infra = await department("Infra", platform.id);
  const sales = await department("Sales");
  const inDepartment = async (departmentId: bigint, overrides: Parameters<typeof createMember>[1] = {}) => {
    const member = await createMember(tenant.id, overrides);
    await db().departmentMember.create({ data: { departmentId, userId: member.id } });
    return member;
  };
  const people = { eng: await inDepartment(engineering.id), plat: await inDepartment(platform.id), infra: await inDepartment(infra.id), sales: await inDepartment(sales.id) };
  const role = await createCatalogItem(db(), actor, { kind: "role", name: "Developer" });
  const policy = await createCatalogItem(db(), actor, { kind: "policy", name: "Write repos", permission: "repo:write" });
  await setRolePolicies(db(), actor, { roleId: id(role), policyIds: [id(policy)] });
  const application = await createCatalogItem(db(), actor, { kind: "application", name: "GitLab" });
  const group = await createCatalogItem(db(), actor, { kind: "group", name: "On call" });
  return { tenant, owner, sessionId, actor, caller, engineering, platform, infra, sales, people, role, policy, application, group, inDepartment };
}

type TScene = Awaited<ReturnType<typeof scene>>;

/** What a member effectively holds, as "kind:item". */
async function holdings(memberId: bigint): Promise<string[]> {
  return storedHoldings(memberId);
}

const developer = (s: TScene) => [`1:${s.role.id}`, `3:${s.policy.id}`];

/** Who holds the role, by name of their scene key. */
async function roleHolders(s: TScene): Promise<string[]> {
  const holders: string[] = [];
  for (const [name, member] of Object.entries(s.people)) if ((await holdings(member.id)).includes(`1:${s.role.id}`)) holders.push(name);
  return holders.sort();
}

const grantRole = (s: TScene, departmentId: bigint, subtree: boolean): TGrantChangeInput => ({ change: "grantToDepartment", departmentId: departmentId.toString(), kind: "role", itemId: id(s.role), subtree });

/** Preview, then apply; the preview must equal what the apply recorded, member by member, and its audit events. */
async function previewThenApply(s: TScene, change: TGrantChangeInput): Promise<TAccessChanges> {
  const preview = await previewGrantChange(db(), s.actor, change);
  const before = await db().auditEvent.count({ where: { tenantId: s.tenant.id } });
  const applied = await applyGrantChange(db(), s.actor, change);
  expect(applied.changes).toEqual(preview.changes);
  const events = await db().auditEvent.findMany({ where: { tenantId: s.tenant.id }, orderBy: { id: "asc" }, skip: before });
  const [own, ...perMember] = events;
  expect(own!.changes).toMatchObject({ accessTotals: { before: null, after: { affected: preview.changes.affected, ...preview.changes.totals } } });
  expect(perMember.every((event) => event.action === "member.access_changed")).toBe(true);
  const audited = perMember
    .map((event) => {
      const changes = event.changes as { access: { before: unknown[]; after: unknown[] }; cause: { after: { action: string } } };
      expect(changes.cause.after.action).toBe(own!.action);
      return { memberId: String(event.targetId), gained: changes.access.after, lost: changes.access.before };
    })
    .sort((a, b) => Number(BigInt(a.memberId) - BigInt(b.memberId)));
  expect(audited).toEqual(preview.changes.members.map(({ memberId, gained, lost }) => ({ memberId, gained, lost })));
  return applied.changes;
}

describe("grants to departments", () => {
  it("a grant to the department only reaches its own members, and leaves when revoked", async () => {
    const s = await scene();
    const changes = await previewThenApply(s, grantRole(s, s.platform.id, false));
    expect(changes).toMatchObject({ affected: 1, totals: { gained: 2, lost: 0 } });
    expect(changes.members[0]).toMatchObject({ memberId: id(s.people.plat), gained: [{ kind: "role", name: "Developer" }, { kind: "permission", name: "repo:write" }], lost: [] });
    expect(await roleHolders(s)).toEqual(["plat"]);
    expect(await holdings(s.people.plat.id)).toEqual(developer(s));

    await previewThenApply(s, { change: "revokeFromDepartment", departmentId: id(s.platform), kind: "role", itemId: id(s.role) });
    expect(await roleHolders(s)).toEqual([]);
    expect(await holdings(s.people.plat.id)).toEqual([]);
  });

  it("a subtree grant reaches grandchildren; narrowing it takes it back from them; widening gives it again", async () => {
    const s = await scene();
    await previewThenApply(s, grantRole(s, s.engineering.id, true));
    expect(await roleHolders(s)).toEqual(["eng", "infra", "plat"]);

    const narrowed = await previewThenApply(s, { change: "setDepartmentGrantScope", departmentId: id(s.engineering), kind: "role", itemId: id(s.role), subtree: false });
    expect(narrowed).toMatchObject({ affected: 2, totals: { gained: 0, lost: 4 } });
    expect(await roleHolders(s)).toEqual(["eng"]);

    await previewThenApply(s, { change: "setDepartmentGrantScope", departmentId: id(s.engineering), kind: "role", itemId: id(s.role), subtree: true });
    expect(await roleHolders(s)).toEqual(["eng", "infra", "plat"]);
    await expect(applyGrantChange(db(), s.actor, { change: "setDepartmentGrantScope", departmentId: id(s.engineering), kind: "role", itemId: id(s.role), subtree: true })).rejects.toMatchObject({
      fieldErrors: { subtree: [expect.stringMatching(/already reaches/)] },
    });

    await previewThenApply(s, { change: "revokeFromDepartment", departmentId: id(s.engineering), kind: "role", itemId: id(s.role) });
    expect(await roleHolders(s)).toEqual([]);
  });

  it("a member keeps what another path still gives: revoking one of two grants changes nothing for them", async () => {
    const s = await scene();
    await applyGrantChange(db(), s.actor, grantRole(s, s.engineering.id, true));
    await applyGrantChange(db(), s.actor, grantRole(s, s.infra.id, false));
    const changes = await previewThenApply(s, { change: "revokeFromDepartment", departmentId: id(s.engineering), kind: "role", itemId: id(s.role) });
    expect(changes.members.map((member) => member.memberId).sort()).toEqual([id(s.people.eng), id(s.people.plat)].sort());
    expect(await roleHolders(s)).toEqual(["infra"]);
  });

  it("grants applications to a subtree, and a member who cannot sign in gains nothing", async () => {
    const s = await scene();
    const disabled = await s.inDepartment(s.infra.id, { state: "disabled" });
    const changes = await previewThenApply(s, { change: "grantToDepartment", departmentId: id(s.platform), kind: "application", itemId: id(s.application), subtree: true });
    expect(changes.members.map((member) => member.memberId).sort()).toEqual([id(s.people.plat), id(s.people.infra)].sort());
    expect(await holdings(s.people.infra.id)).toEqual([`2:${s.application.id}`]);
    expect(await holdings(disabled.id)).toEqual([]);
    expect(await holdings(s.people.eng.id)).toEqual([]);
  });

  it("refuses a second grant of the same thing as a field error, and grants to Departed", async () => {
    const s = await scene();
    await applyGrantChange(db(), s.actor, grantRole(s, s.sales.id, false));
    await expect(applyGrantChange(db(), s.actor, grantRole(s, s.sales.id, true))).rejects.toMatchObject({ fieldErrors: { itemId: [expect.stringMatching(/already has/)] } });
    const departed = await db().department.findFirstOrThrow({ where: { tenantId: s.tenant.id, kind: "departed" } });
    await s.inDepartment(departed.id, { state: "resigned" });
    await expect(s.caller.accessGrants.preview(grantRole(s, departed.id, false))).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringMatching(/Departed/) as unknown });
    await expect(s.caller.accessGrants.change(grantRole(s, departed.id, false))).rejects.toMatchObject({ message: expect.stringMatching(/Departed/) as unknown });
    expect(await db().departmentRole.count({ where: { departmentId: departed.id } })).toBe(0);
  });

  it("50 parallel grants of the same role to the same department make one grant and no deadlock", async () => {
    const s = await scene();
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, (_, index) => s.caller.accessGrants.change(grantRole(s, s.engineering.id, index % 2 === 0))));
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const refusals = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as { code: string; message: string }] : []));
    expect(refusals.filter((refusal) => refusal.code !== "CONFLICT").map((refusal) => `${refusal.code}: ${refusal.message}`)).toEqual([]);
    expect(await db().departmentRole.count({ where: { departmentId: s.engineering.id } })).toBe(1);
    const granted = await db().auditEvent.count({ where: { tenantId: s.tenant.id, action: "department.role_granted" } });
    expect(granted).toBe(1);
  });

  it("parallel grants of different roles across one tree all commit, with effective access matching the grants", async () => {
    const s = await scene();
    const roles = await Promise.all(Array.from({ length: 10 }, (_, index) => createCatalogItem(db(), s.actor, { kind: "role", name: `Parallel ${index}` })));
    const departments = [s.engineering, s.platform, s.infra];
    const outcomes = await Promise.allSettled(
      roles.flatMap((role, index) => [
        s.caller.accessGrants.change({ change: "grantToDepartment", departmentId: id(departments[index % 3]!), kind: "role", itemId: id(role), subtree: true }),
        s.caller.accessGrants.change({ change: "grantToGroup", groupId: id(s.group), kind: "role", itemId: id(role) }),
      ]),
    );
    expect(outcomes.filter((outcome) => outcome.status === "rejected")).toEqual([]);
    const infraRoles = (await holdings(s.people.infra.id)).filter((item) => item.startsWith("1:"));
    expect(infraRoles).toHaveLength(10);
    expect((await holdings(s.people.eng.id)).filter((item) => item.startsWith("1:"))).toHaveLength(4);
  });
});

describe("grants to groups", () => {
  it("reach the group's members, roles and applications alike, and leave when revoked", async () => {
    const s = await scene();
    await db().memberGroup.create({ data: { groupId: s.group.id, userId: s.people.sales.id } });
    const changes = await previewThenApply(s, { change: "grantToGroup", groupId: id(s.group), kind: "role", itemId: id(s.role) });
    expect(changes).toMatchObject({ affected: 1, totals: { gained: 2, lost: 0 } });
    await previewThenApply(s, { change: "grantToGroup", groupId: id(s.group), kind: "application", itemId: id(s.application) });
    expect(await holdings(s.people.sales.id)).toEqual([`1:${s.role.id}`, `2:${s.application.id}`, `3:${s.policy.id}`]);
    expect(await s.caller.accessGrants.ofGroup({ groupId: id(s.group) })).toMatchObject([
      { kind: "role", name: "Developer" },
      { kind: "application", name: "GitLab" },
    ]);

    await previewThenApply(s, { change: "revokeFromGroup", groupId: id(s.group), kind: "role", itemId: id(s.role) });
    expect(await holdings(s.people.sales.id)).toEqual([`2:${s.application.id}`]);
    await expect(applyGrantChange(db(), s.actor, { change: "revokeFromGroup", groupId: id(s.group), kind: "role", itemId: id(s.role) })).rejects.toThrow(/does not have/);
  });
});

describe("what a department is granted, and the matrix", () => {
  it("lists direct and inherited grants, and the matrix marks direct and inherited cells sparsely", async () => {
    const s = await scene();
    await applyGrantChange(db(), s.actor, grantRole(s, s.engineering.id, true));
    await applyGrantChange(db(), s.actor, grantRole(s, s.infra.id, false));
    await applyGrantChange(db(), s.actor, { change: "grantToDepartment", departmentId: id(s.platform), kind: "application", itemId: id(s.application), subtree: false });

    expect(await s.caller.accessGrants.ofDepartment({ departmentId: id(s.infra) })).toEqual([
      { kind: "role", itemId: id(s.role), name: "Developer", direct: { subtree: false, grantedAt: expect.any(Date) as unknown }, inheritedFrom: [{ id: id(s.engineering), name: "Engineering" }] },
    ]);
    expect((await s.caller.accessGrants.ofDepartment({ departmentId: id(s.platform) })).map((grant) => [grant.kind, grant.direct?.subtree ?? null, grant.inheritedFrom.length])).toEqual([
      ["role", null, 1],
      ["application", false, 0],
    ]);

    const matrix = await s.caller.accessGrants.matrix();
    expect(matrix.departments.map((department) => [department.path.join(" / "), department.depth])).toEqual([
      ["Engineering", 0],
      ["Engineering / Platform", 1],
      ["Engineering / Platform / Infra", 2],
      ["Sales", 0],
    ]);
    expect(matrix.roles).toEqual([{ id: id(s.role), name: "Developer" }]);
    const cell = (departmentId: bigint) => matrix.cells.find((candidate) => candidate.departmentId === departmentId.toString());
    expect(matrix.cells).toHaveLength(3);
    expect(cell(s.engineering.id)).toEqual({ departmentId: id(s.engineering), roleId: id(s.role), direct: { subtree: true }, inheritedFrom: [] });
    expect(cell(s.platform.id)).toMatchObject({ direct: null, inheritedFrom: [id(s.engineering)] });
    expect(cell(s.infra.id)).toMatchObject({ direct: { subtree: false }, inheritedFrom: [id(s.engineering)] });
    expect(cell(s.sales.id)).toBeUndefined();
  });
});

describe("who may change grants", () => {
  it("never resolves another organisation's departments, groups or roles", async () => {
    const s = await scene();
    const other = await scene();
    const attempts: TGrantChangeInput[] = [
      grantRole(other, s.engineering.id, true),
      { change: "grantToDepartment", departmentId: id(other.engineering), kind: "role", itemId: id(s.role), subtree: true },
      { change: "grantToGroup", groupId: id(s.group), kind: "role", itemId: id(other.role) },
      { change: "grantToGroup", groupId: id(other.group), kind: "application", itemId: id(s.application) },
    ];
    for (const change of attempts) {
      await expect(other.caller.accessGrants.preview(change)).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(other.caller.accessGrants.change(change)).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    await expect(other.caller.accessGrants.ofDepartment({ departmentId: id(s.engineering) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(other.caller.accessGrants.ofGroup({ groupId: id(s.group) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await other.caller.accessGrants.matrix()).departments.map((department) => department.id)).not.toContain(id(s.engineering));
    expect(await db().departmentRole.count({ where: { department: { tenantId: s.tenant.id } } })).toBe(0);
  });

  it("refuses plain members everything", async () => {
    const s = await scene();
    const { sessionId } = await createSignedInMember(s.tenant.id);
    const member = createCaller(await createContextForSessionId(sessionId));
    await expect(member.accessGrants.change(grantRole(s, s.engineering.id, true))).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(member.accessGrants.preview(grantRole(s, s.engineering.id, true))).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(member.accessGrants.matrix()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(member.accessGrants.ofDepartment({ departmentId: id(s.engineering) })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db().departmentRole.count({ where: { departmentId: s.engineering.id } })).toBe(0);
  });

  it("asks for a recent step-up to grant or take a role, not an application, and previews without one", async () => {
    const s = await scene();
    await db().session.update({ where: { id: s.sessionId }, data: { steppedUpAt: new Date(Date.now() - 6 * 60 * 1000) } });
    const error = (await s.caller.accessGrants.change(grantRole(s, s.engineering.id, true)).catch((caught: unknown) => caught)) as { code: string; cause: unknown };
    expect(error.code).toBe("FORBIDDEN");
    expect(error.cause).toBeInstanceOf(StepUpRequiredError);
    expect((await s.caller.accessGrants.preview(grantRole(s, s.engineering.id, true))).changes.affected).toBe(3);
    await s.caller.accessGrants.change({ change: "grantToDepartment", departmentId: id(s.engineering), kind: "application", itemId: id(s.application), subtree: true });
    expect(await db().departmentRole.count({ where: { departmentId: s.engineering.id } })).toBe(0);
  });

  it("a plain admin may grant to a department holding an owner, but not take an owner's access away through it", async () => {
    const s = await scene();
    const { member: admin, sessionId } = await createSignedInMember(s.tenant.id, { role: "admin" });
    const adminCaller = createCaller(await createContextForSessionId(sessionId));
    const owner = await s.inDepartment(s.sales.id, { role: "owner" });
    await adminCaller.accessGrants.change(grantRole(s, s.sales.id, false));
    expect(await holdings(owner.id)).toEqual(developer(s));
    const revoke: TGrantChangeInput = { change: "revokeFromDepartment", departmentId: id(s.sales), kind: "role", itemId: id(s.role) };
    await expect(adminCaller.accessGrants.change(revoke)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await holdings(owner.id)).toEqual(developer(s));
    expect(admin.id).toBeDefined();
    await s.caller.accessGrants.change(revoke);
    expect(await holdings(owner.id)).toEqual([]);
  });
});
