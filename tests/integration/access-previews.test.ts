import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import type { TAccessChanges, TMemberAccessChange } from "@/server/access-changes/access-changes";
import { previewRolePolicies, setRolePolicies } from "@/server/access/grant-access";
import { createCatalogItem } from "@/server/access/manage-catalog";
import { joinDepartment } from "@/server/org/join-department";
import { leaveDepartment } from "@/server/org/leave-department";
import { createDepartment, moveDepartment, previewDepartmentMove } from "@/server/org/manage-departments";
import { transferMembers } from "@/server/org/transfer-members";
import { transferMember } from "@/server/org/transfer-member";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant } from "../support/factories";

// Previews of access changes (issue 12 item 4): each is the action's own code
// run and rolled back, so what the dialog shows is what the action records.

async function setup() {
  const tenant = await createTenant();
  const { member: admin, sessionId } = await createSignedInMember(tenant.id, { role: "admin" });
  const actor = { tenantId: tenant.id, memberId: admin.id, sysAdmin: admin.sysAdmin };
  const department = async (name: string, parent?: { id: bigint }) => createDepartment(db(), actor, { name, parentId: parent ? parent.id.toString() : null });
  const policy = (permission: string) => createCatalogItem(db(), actor, { kind: "policy", name: permission, permission });
  const role = async (name: string, policies: { id: bigint }[]) => {
    const created = await createCatalogItem(db(), actor, { kind: "role", name });
    await setRolePolicies(db(), actor, { roleId: created.id.toString(), policyIds: policies.map((item) => item.id.toString()) });
    return created;
  };
  const grantToDepartment = (on: { id: bigint }, granted: { id: bigint }, subtree: boolean) =>
    db().departmentRole.create({ data: { departmentId: on.id, roleId: granted.id, subtree, grantedBy: admin.id } });
  const member = async (...departments: { id: bigint }[]) => {
    const created = await createMember(tenant.id);
    for (const [index, joined] of departments.entries()) await joinDepartment(db(), actor, { memberId: created.id.toString(), departmentId: joined.id.toString(), main: index === 0 });
    return created;
  };
  return { tenant, admin, actor, department, policy, role, grantToDepartment, member, caller: createCaller(await createContextForSessionId(sessionId)) };
}

/** The last audit event's id: what an action writes comes after it. */
async function auditMark(tenantId: bigint) {
  const last = await db().auditEvent.findFirst({ where: { tenantId }, orderBy: { id: "desc" }, select: { id: true } });
  return last?.id ?? 0n;
}

/** The `member.access_changed` events written after `mark`, in the preview's shape (member id order). */
async function recordedChanges(tenantId: bigint, mark: bigint) {
  const events = await db().auditEvent.findMany({ where: { tenantId, action: "member.access_changed", id: { gt: mark } }, orderBy: { targetId: "asc" } });
  return events.map((event) => {
    const changes = event.changes as { access: { before: TMemberAccessChange["lost"]; after: TMemberAccessChange["gained"] }; cause: { after: unknown } };
    return { memberId: event.targetId.toString(), gained: changes.access.after, lost: changes.access.before, cause: changes.cause.after };
  });
}

/** The preview's members as the audit records them (username aside). */
const asRecorded = (changes: TAccessChanges) => changes.members.map(({ memberId, gained, lost }) => ({ memberId, gained, lost }));
const withoutCause = (rows: Awaited<ReturnType<typeof recordedChanges>>) => rows.map(({ memberId, gained, lost }) => ({ memberId, gained, lost }));

/** Everything a preview could leave behind if it were not rolled back. */
async function snapshot(tenantId: bigint) {
  const [access, memberships, roles, departments, events] = await Promise.all([
    db().$queryRaw<unknown[]>`SELECT ma.* FROM member_access ma JOIN users u ON u.id = ma.user_id WHERE u.tenant_id = ${tenantId} ORDER BY 1, 2, 3`,
    db().$queryRaw<unknown[]>`SELECT dm.department_id, dm.user_id, dm.is_head FROM department_members dm JOIN users u ON u.id = dm.user_id WHERE u.tenant_id = ${tenantId} ORDER BY 1, 2`,
    db().$queryRaw<unknown[]>`SELECT rp.* FROM role_policies rp JOIN roles r ON r.id = rp.role_id WHERE r.tenant_id = ${tenantId} ORDER BY 1, 2`,
    db().department.findMany({ where: { tenantId }, select: { id: true, parentId: true }, orderBy: { id: "asc" } }),
    db().auditEvent.count({ where: { tenantId } }),
  ]);
  const users = await db().user.findMany({ where: { tenantId }, select: { id: true, mainDepartmentId: true, updatedAt: true }, orderBy: { id: "asc" } });
  return { access, memberships, roles, departments, events, users };
}

const item = (kind: "role" | "permission" | "application", entity: { id: bigint }, name: string) => ({ kind, id: entity.id.toString(), name });

describe("the preview of a transfer", () => {
  it("shows the ancestor's subtree role gained and the old department's lost, exactly as the transfer then records", async () => {
    const { tenant, actor, department, policy, role, grantToDepartment, member, caller } = await setup();
    const repoWrite = await policy("repo:write");
    const crmRead = await policy("crm:read");
    const developer = await role("Developer", [repoWrite]);
    const salesRep = await role("Sales rep", [crmRead]);
    const engineering = await department("Engineering");
    const platform = await department("Platform", engineering);
    const sales = await department("Sales");
    await grantToDepartment(engineering, developer, true);
    await grantToDepartment(sales, salesRep, false);
    const ada = await member(sales);
    const input = { memberId: ada.id.toString(), fromDepartmentId: sales.id.toString(), toDepartmentId: platform.id.toString() };

    const before = await snapshot(tenant.id);
    const preview = await caller.departments.previewTransferMember(input);
    expect(await snapshot(tenant.id)).toEqual(before);
    expect(preview).toEqual({
      affected: 1,
      totals: { gained: 2, lost: 2 },
      members: [
        {
          memberId: ada.id.toString(),
          username: ada.username,
          gained: [item("role", developer, "Developer"), item("permission", repoWrite, "repo:write")],
          lost: [item("role", salesRep, "Sales rep"), item("permission", crmRead, "crm:read")],
        },
      ],
    });

    const mark = await auditMark(tenant.id);
    await transferMember(db(), actor, input);
    expect(withoutCause(await recordedChanges(tenant.id, mark))).toEqual(asRecorded(preview));
    expect((await recordedChanges(tenant.id, mark))[0]!.cause).toEqual({ action: "member.transferred", targetType: "member", targetId: ada.id.toString() });
    const transferred = await db().auditEvent.findFirstOrThrow({ where: { tenantId: tenant.id, action: "member.transferred", targetId: ada.id } });
    expect(transferred.changes).toMatchObject({ accessChanges: { before: null, after: { affected: 1, gained: 2, lost: 2 } } });
    const held = await db().$queryRaw<{ kind: number; item_id: bigint }[]>`SELECT kind, item_id FROM member_access WHERE user_id = ${ada.id} ORDER BY kind, item_id`;
    expect(held).toEqual([
      { kind: 1, item_id: developer.id },
      { kind: 3, item_id: repoWrite.id },
    ]);
  });

  it("of many members: totals count everyone, the first 50 are detailed, and each member's audit event matches", async () => {
    const { tenant, actor, department, policy, role, grantToDepartment, member, caller } = await setup();
    const deploy = await policy("deploy:run");
    const operator = await role("Operator", [deploy]);
    const from = await department("Support");
    const to = await department("Operations");
    await grantToDepartment(to, operator, false);
    const members = [];
    for (let index = 0; index < 55; index += 1) members.push(await member(from));
    const input = { memberIds: members.map((one) => one.id.toString()), toDepartmentId: to.id.toString() };

    const before = await snapshot(tenant.id);
    const preview = await caller.departments.previewTransferMembers(input);
    expect(await snapshot(tenant.id)).toEqual(before);
    expect(preview.affected).toBe(55);
    expect(preview.totals).toEqual({ gained: 110, lost: 0 });
    expect(preview.members).toHaveLength(50);

    const mark = await auditMark(tenant.id);
    await transferMembers(db(), actor, input);
    const recorded = await recordedChanges(tenant.id, mark);
    expect(recorded).toHaveLength(55);
    expect(withoutCause(recorded).slice(0, 50)).toEqual(asRecorded(preview));
    const perMember = await db().auditEvent.findFirstOrThrow({ where: { tenantId: tenant.id, action: "member.transferred", targetId: members[0]!.id } });
    expect(perMember.changes).toMatchObject({ accessChanges: { after: { affected: 1, gained: 2, lost: 0 } } });
  });

  it("of a join and of a leave equal what they record", async () => {
    const { tenant, actor, department, policy, role, grantToDepartment, member, caller } = await setup();
    const read = await policy("wiki:read");
    const reader = await role("Reader", [read]);
    const home = await department("Home");
    const wiki = await department("Wiki");
    await grantToDepartment(wiki, reader, false);
    const ada = await member(home);
    const join = { memberId: ada.id.toString(), departmentId: wiki.id.toString() };

    const joinPreview = await caller.departments.previewJoin(join);
    expect(joinPreview.totals).toEqual({ gained: 2, lost: 0 });
    let mark = await auditMark(tenant.id);
    await joinDepartment(db(), actor, join);
    expect(withoutCause(await recordedChanges(tenant.id, mark))).toEqual(asRecorded(joinPreview));

    const leavePreview = await caller.departments.previewLeave(join);
    expect(leavePreview.totals).toEqual({ gained: 0, lost: 2 });
    const before = await snapshot(tenant.id);
    expect(await caller.departments.previewLeave(join)).toEqual(leavePreview);
    expect(await snapshot(tenant.id)).toEqual(before);
    mark = await auditMark(tenant.id);
    await leaveDepartment(db(), actor, join);
    expect(withoutCause(await recordedChanges(tenant.id, mark))).toEqual(asRecorded(leavePreview));
  });

  it("refuses what the action refuses, and changes nothing", async () => {
    const { tenant, department, member, caller } = await setup();
    const home = await department("Home");
    const other = await department("Other");
    const ada = await member(home);
    const before = await snapshot(tenant.id);
    await expect(caller.departments.previewTransferMember({ memberId: ada.id.toString(), fromDepartmentId: other.id.toString(), toDepartmentId: home.id.toString() })).rejects.toThrow(/not in/);
    await expect(caller.departments.previewJoin({ memberId: ada.id.toString(), departmentId: home.id.toString() })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(caller.departments.previewMove({ departmentId: home.id.toString(), newParentId: home.id.toString() })).rejects.toThrow(/into itself/);
    expect(await snapshot(tenant.id)).toEqual(before);
  });
});

describe("previews beside the change they preview", () => {
  it("a burst of previews running with the transfer itself leaves exactly the transfer's result and its events", async () => {
    const { tenant, actor, department, policy, role, grantToDepartment, member, caller } = await setup();
    const deploy = await policy("deploy:run");
    const operator = await role("Operator", [deploy]);
    const from = await department("Support");
    const to = await department("Operations");
    await grantToDepartment(to, operator, false);
    const ada = await member(from);
    const input = { memberId: ada.id.toString(), fromDepartmentId: from.id.toString(), toDepartmentId: to.id.toString() };
    const mark = await auditMark(tenant.id);

    const previews = Array.from({ length: 8 }, () => caller.departments.previewTransferMember(input).catch((error: unknown) => error));
    const [transferred, ...answers] = await Promise.all([transferMember(db(), actor, input), ...previews]);
    expect(transferred.departmentId).toBe(to.id);
    // Each preview ran wholly before the transfer (it shows the gain) or wholly after (the member is no longer in Support).
    for (const answer of answers) {
      if (answer instanceof Error) expect(answer.message).toMatch(/not in/);
      else expect(answer).toMatchObject({ affected: 1, totals: { gained: 2, lost: 0 } });
    }
    expect(await recordedChanges(tenant.id, mark)).toHaveLength(1);
    const held = await db().$queryRaw<{ kind: number; item_id: bigint }[]>`SELECT kind, item_id FROM member_access WHERE user_id = ${ada.id} ORDER BY kind, item_id`;
    expect(held).toEqual([
      { kind: 1, item_id: operator.id },
      { kind: 3, item_id: deploy.id },
    ]);
  });
});

describe("the preview of a department move", () => {
  it("changes its members' inherited access (its sub-departments' too), as the move then records", async () => {
    const { tenant, actor, department, policy, role, grantToDepartment, member, caller } = await setup();
    const repoWrite = await policy("repo:write");
    const support = await policy("tickets:*");
    const developer = await role("Developer", [repoWrite]);
    const agent = await role("Agent", [support]);
    const engineering = await department("Engineering");
    const service = await department("Service");
    const platform = await department("Platform", engineering);
    const infra = await department("Infra", platform);
    await grantToDepartment(engineering, developer, true);
    await grantToDepartment(service, agent, true);
    const inPlatform = await member(platform);
    const inInfra = await member(infra);
    const inEngineering = await member(engineering);
    const input = { departmentId: platform.id.toString(), newParentId: service.id.toString() };

    const before = await snapshot(tenant.id);
    const preview = await caller.departments.previewMove(input);
    expect(await snapshot(tenant.id)).toEqual(before);
    const swap = { gained: [item("role", agent, "Agent"), item("permission", support, "tickets:*")], lost: [item("role", developer, "Developer"), item("permission", repoWrite, "repo:write")] };
    expect(preview).toEqual({
      affected: 2,
      totals: { gained: 4, lost: 4 },
      members: [inPlatform, inInfra].map((one) => ({ memberId: one.id.toString(), username: one.username, ...swap })),
    });

    const mark = await auditMark(tenant.id);
    await moveDepartment(db(), actor, input);
    const recorded = await recordedChanges(tenant.id, mark);
    expect(withoutCause(recorded)).toEqual(asRecorded(preview));
    expect(recorded.map((row) => row.cause)).toEqual([0, 1].map(() => ({ action: "department.moved", targetType: "department", targetId: platform.id.toString() })));
    expect(recorded.map((row) => row.memberId)).not.toContain(inEngineering.id.toString());
    const moved = await db().auditEvent.findFirstOrThrow({ where: { tenantId: tenant.id, action: "department.moved", targetId: platform.id } });
    expect(moved.changes).toEqual({ parentId: { before: engineering.id.toString(), after: service.id.toString() }, accessChanges: { before: null, after: { affected: 2, gained: 4, lost: 4 } } });
  });

  it("to where it already is: nothing changes and nothing is recorded", async () => {
    const { tenant, actor, department } = await setup();
    const top = await department("Top");
    const child = await department("Child", top);
    const input = { departmentId: child.id.toString(), newParentId: top.id.toString() };
    expect(await previewDepartmentMove(db(), actor, input)).toEqual({ affected: 0, totals: { gained: 0, lost: 0 }, members: [] });
    const mark = await auditMark(tenant.id);
    await moveDepartment(db(), actor, input);
    expect(await auditMark(tenant.id)).toBe(mark);
  });
});

describe("the preview of a role's policies", () => {
  it("removing a policy takes it from holders with no other path and keeps it for those with one", async () => {
    const { tenant, actor, department, policy, role, grantToDepartment, member, caller } = await setup();
    const repoWrite = await policy("repo:write");
    const repoRead = await policy("repo:read");
    const developer = await role("Developer", [repoWrite, repoRead]);
    const maintainer = await role("Maintainer", [repoWrite]);
    const engineering = await department("Engineering");
    await grantToDepartment(engineering, developer, false);
    const onlyDeveloper = await member(engineering);
    const alsoDirect = await member(engineering);
    const alsoMaintainer = await member(engineering);
    const ref = (id: bigint) => [id.toString()];
    await db().memberPolicy.create({ data: { userId: alsoDirect.id, policyId: repoWrite.id } });
    await db().memberRole.create({ data: { userId: alsoMaintainer.id, roleId: maintainer.id } });
    const input = { roleId: developer.id.toString(), policyIds: ref(repoRead.id) };

    const before = await snapshot(tenant.id);
    // No step-up: a preview changes nothing (the change itself asks for one).
    const preview = await caller.access.previewRolePolicies(input);
    expect(await snapshot(tenant.id)).toEqual(before);
    expect(preview).toEqual({
      affected: 1,
      totals: { gained: 0, lost: 1 },
      members: [{ memberId: onlyDeveloper.id.toString(), username: onlyDeveloper.username, gained: [], lost: [item("permission", repoWrite, "repo:write")] }],
    });

    const mark = await auditMark(tenant.id);
    await setRolePolicies(db(), actor, input);
    expect(withoutCause(await recordedChanges(tenant.id, mark))).toEqual(asRecorded(preview));
    const set = await db().auditEvent.findFirstOrThrow({ where: { tenantId: tenant.id, action: "role.policies_set", targetId: developer.id, id: { gt: mark } } });
    expect(set.changes).toEqual({ policies: { before: ["repo:read", "repo:write"], after: ["repo:read"] }, accessChanges: { before: null, after: { affected: 1, gained: 0, lost: 1 } } });
    for (const [holder, holds] of [[onlyDeveloper, false], [alsoDirect, true], [alsoMaintainer, true]] as const) {
      const rows = await db().$queryRaw<unknown[]>`SELECT 1 FROM member_access WHERE user_id = ${holder.id} AND kind = 3 AND item_id = ${repoWrite.id}`;
      expect(rows.length === 1).toBe(holds);
    }
    // Adding it back: the preview says who gains it.
    expect((await previewRolePolicies(db(), actor, { roleId: developer.id.toString(), policyIds: [repoRead.id.toString(), repoWrite.id.toString()] })).totals).toEqual({ gained: 1, lost: 0 });
  });
});

describe("who may preview", () => {
  it("a plain member may not; another organisation's admin finds nothing; malformed input is refused; nothing changes", async () => {
    const { tenant, department, policy, role, grantToDepartment, member } = await setup();
    const read = await policy("wiki:read");
    const reader = await role("Reader", [read]);
    const home = await department("Home");
    const wiki = await department("Wiki");
    await grantToDepartment(wiki, reader, true);
    const ada = await member(home);
    const inputs = {
      previewTransferMember: { memberId: ada.id.toString(), fromDepartmentId: home.id.toString(), toDepartmentId: wiki.id.toString() },
      previewTransferMembers: { memberIds: [ada.id.toString()], toDepartmentId: wiki.id.toString() },
      previewJoin: { memberId: ada.id.toString(), departmentId: wiki.id.toString() },
      previewLeave: { memberId: ada.id.toString(), departmentId: home.id.toString() },
      previewMove: { departmentId: home.id.toString(), newParentId: wiki.id.toString() },
    };
    const rolePolicies = { roleId: reader.id.toString(), policyIds: [] };
    const before = await snapshot(tenant.id);

    const { sessionId: memberSession } = await createSignedInMember(tenant.id, { role: "member" });
    const asMember = createCaller(await createContextForSessionId(memberSession));
    for (const [name, input] of Object.entries(inputs)) {
      await expect(asMember.departments[name as keyof typeof inputs](input as never), name).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    await expect(asMember.access.previewRolePolicies(rolePolicies)).rejects.toMatchObject({ code: "FORBIDDEN" });

    const elsewhere = await createTenant();
    const { sessionId: strangerSession } = await createSignedInMember(elsewhere.id, { role: "owner" });
    const stranger = createCaller(await createContextForSessionId(strangerSession));
    for (const [name, input] of Object.entries(inputs)) {
      await expect(stranger.departments[name as keyof typeof inputs](input as never), name).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    await expect(stranger.access.previewRolePolicies(rolePolicies)).rejects.toMatchObject({ code: "NOT_FOUND" });

    const { sessionId: adminSession } = await createSignedInMember(tenant.id, { role: "admin" });
    const admin = createCaller(await createContextForSessionId(adminSession));
    const tooMany = Array.from({ length: 1001 }, (_, index) => String(index + 1));
    await expect(admin.departments.previewTransferMembers({ memberIds: tooMany, toDepartmentId: wiki.id.toString() })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.departments.previewMove({ departmentId: "1e9", newParentId: null })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.departments.previewJoin({ ...inputs.previewJoin, extra: true } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.access.previewRolePolicies({ roleId: reader.id.toString(), policyIds: Array.from({ length: 501 }, () => "1") })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // The admin's own session row moved on (last seen); everything the previews could touch did not.
    const after = await snapshot(tenant.id);
    expect({ ...after, users: after.users.filter((user) => before.users.some((seen) => seen.id === user.id)) }).toEqual(before);
  });
});
