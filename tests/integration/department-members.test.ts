import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { ConflictError, InvalidTransitionError, NotFoundError } from "@/server/errors";
import { getMember } from "@/server/members/get-member";
import { joinDepartment } from "@/server/org/join-department";
import { leaveDepartment } from "@/server/org/leave-department";
import { listDepartmentTree, type TDepartmentNode } from "@/server/org/list-department-tree";
import { createDepartment, deleteDepartment } from "@/server/org/manage-departments";
import { setDepartmentHead } from "@/server/org/set-department-head";
import { setMainDepartment } from "@/server/org/set-main-department";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant } from "../support/factories";

// A member's own departments: join, leave, main department, heads.

async function setup() {
  const tenant = await createTenant();
  const { member: admin, sessionId } = await createSignedInMember(tenant.id, { role: "admin" });
  const actor = { tenantId: tenant.id, memberId: admin.id, sysAdmin: 1 };
  const departed = await db().department.findFirstOrThrow({ where: { tenantId: tenant.id, kind: "departed" } });
  const department = async (name: string) => {
    const created = await createDepartment(db(), actor, { name });
    return { id: created.id, name: created.name, ref: { id: created.id.toString(), name: created.name } };
  };
  return { tenant, admin, actor, departed, department, caller: createCaller(await createContextForSessionId(sessionId)) };
}

type TActor = Awaited<ReturnType<typeof setup>>["actor"];
const ids = (member: { id: bigint }, department: { id: bigint }) => ({ memberId: member.id.toString(), departmentId: department.id.toString() });

async function stateOf(member: { id: bigint }) {
  const row = await db().user.findUniqueOrThrow({
    where: { id: member.id },
    select: { mainDepartmentId: true, lastModifiedBy: true, departments: { select: { departmentId: true, isHead: true }, orderBy: { departmentId: "asc" } } },
  });
  return { main: row.mainDepartmentId, departments: row.departments.map((membership) => membership.departmentId), heads: row.departments.filter((membership) => membership.isHead).map((membership) => membership.departmentId), lastModifiedBy: row.lastModifiedBy };
}

async function lastEvent(member: { id: bigint }) {
  const event = await db().auditEvent.findFirst({ where: { targetType: "member", targetId: member.id }, orderBy: { id: "desc" } });
  return event && { action: event.action, changes: event.changes, actorId: event.actorId };
}

const eventCount = (member: { id: bigint }) => db().auditEvent.count({ where: { targetType: "member", targetId: member.id } });

async function inDepartments(actor: TActor, member: { id: bigint }, departments: { id: bigint }[]) {
  for (const department of departments) await joinDepartment(db(), actor, ids(member, department));
}

function findNode(nodes: TDepartmentNode[], name: string): TDepartmentNode | undefined {
  for (const node of nodes) {
    if (node.name === name) return node;
    const found = findNode(node.children, name);
    if (found) return found;
  }
  return undefined;
}

describe("joining a department", () => {
  it("makes the first department the main one, keeps the others, and records each join with old and new values", async () => {
    const { actor, admin, department, tenant, caller } = await setup();
    const sales = await department("Sales");
    const support = await department("Support");
    const member = await createMember(tenant.id);

    expect(await caller.departments.join(ids(member, sales))).toEqual({ memberId: member.id.toString(), departmentId: sales.id.toString(), main: true });
    expect(await lastEvent(member)).toEqual({
      action: "member.department_joined",
      actorId: admin.id,
      changes: { department: { before: null, after: sales.ref }, mainDepartmentId: { before: null, after: sales.ref } },
    });

    expect((await joinDepartment(db(), actor, ids(member, support))).main).toBe(false);
    expect(await stateOf(member)).toMatchObject({ main: sales.id, departments: [sales.id, support.id], lastModifiedBy: admin.id });
    expect(await lastEvent(member)).toMatchObject({ action: "member.department_joined", changes: { department: { before: null, after: support.ref } } });
  });

  it("makes the joined department main when asked, naming the old main department", async () => {
    const { actor, department, tenant } = await setup();
    const sales = await department("Sales");
    const support = await department("Support");
    const member = await createMember(tenant.id);
    await joinDepartment(db(), actor, ids(member, sales));
    await joinDepartment(db(), actor, { ...ids(member, support), main: true });
    expect(await stateOf(member)).toMatchObject({ main: support.id, departments: [sales.id, support.id] });
    expect((await lastEvent(member))?.changes).toEqual({ department: { before: null, after: support.ref }, mainDepartmentId: { before: sales.ref, after: support.ref } });
  });

  it("refuses a department the member is already in (as a field error) and the Departed department, recording nothing", async () => {
    const { actor, departed, department, tenant, caller } = await setup();
    const sales = await department("Sales");
    const member = await createMember(tenant.id);
    await joinDepartment(db(), actor, ids(member, sales));
    const events = await eventCount(member);

    const twice = await joinDepartment(db(), actor, ids(member, sales)).catch((caught: unknown) => caught);
    expect(twice).toBeInstanceOf(ConflictError);
    expect((twice as ConflictError).fieldErrors).toEqual({ departmentId: ["The member is already in “Sales”"] });
    await expect(caller.departments.join(ids(member, departed))).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringMatching(/by resigning/) as unknown });
    expect(await stateOf(member)).toMatchObject({ main: sales.id, departments: [sales.id] });
    expect(await eventCount(member)).toBe(events);
  });
});

describe("leaving a department", () => {
  it("leaves a department that is not the main one, and ends heading it", async () => {
    const { actor, department, tenant } = await setup();
    const sales = await department("Sales");
    const support = await department("Support");
    const member = await createMember(tenant.id);
    await inDepartments(actor, member, [sales, support]);
    await setDepartmentHead(db(), actor, { ...ids(member, support), head: true });

    expect(await leaveDepartment(db(), actor, ids(member, support))).toEqual({ memberId: member.id, departmentId: support.id, mainDepartmentId: sales.id });
    expect(await stateOf(member)).toMatchObject({ main: sales.id, departments: [sales.id], heads: [] });
    expect(await lastEvent(member)).toMatchObject({
      action: "member.department_left",
      changes: { department: { before: support.ref, after: null }, headOf: { before: support.ref, after: null } },
    });
  });

  it("refuses to leave the main department while others remain, unless the new main one comes in the same call", async () => {
    const { actor, department, tenant, caller } = await setup();
    const sales = await department("Sales");
    const support = await department("Support");
    const legal = await department("Legal");
    const member = await createMember(tenant.id);
    await inDepartments(actor, member, [sales, support, legal]);
    const events = await eventCount(member);

    const refused = await leaveDepartment(db(), actor, ids(member, sales)).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as ConflictError).fieldErrors).toEqual({ newMainDepartmentId: ["Choose the new main department"] });
    // The new main department must be one the member stays in: not the one left, not one they are not in.
    await expect(caller.departments.leave({ ...ids(member, sales), newMainDepartmentId: sales.id.toString() })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const outsider = await department("Outside");
    await expect(leaveDepartment(db(), actor, { ...ids(member, sales), newMainDepartmentId: outsider.id.toString() })).rejects.toThrow(/one the member stays in/);
    expect(await stateOf(member)).toMatchObject({ main: sales.id, departments: [sales.id, support.id, legal.id] });
    expect(await eventCount(member)).toBe(events);

    const result = await caller.departments.leave({ ...ids(member, sales), newMainDepartmentId: legal.id.toString() });
    expect(result).toEqual({ memberId: member.id.toString(), departmentId: sales.id.toString(), mainDepartmentId: legal.id.toString() });
    expect(await stateOf(member)).toMatchObject({ main: legal.id, departments: [support.id, legal.id] });
    expect((await lastEvent(member))?.changes).toEqual({ department: { before: sales.ref, after: null }, mainDepartmentId: { before: sales.ref, after: legal.ref } });
  });

  it("may name a new main department while leaving another one", async () => {
    const { actor, department, tenant } = await setup();
    const sales = await department("Sales");
    const support = await department("Support");
    const legal = await department("Legal");
    const member = await createMember(tenant.id);
    await inDepartments(actor, member, [sales, support, legal]);
    await leaveDepartment(db(), actor, { ...ids(member, support), newMainDepartmentId: legal.id.toString() });
    expect(await stateOf(member)).toMatchObject({ main: legal.id, departments: [sales.id, legal.id] });
    expect((await lastEvent(member))?.changes).toEqual({ department: { before: support.ref, after: null }, mainDepartmentId: { before: sales.ref, after: legal.ref } });
  });

  it("clears the main department when the member leaves their last department", async () => {
    const { actor, department, tenant } = await setup();
    const sales = await department("Sales");
    const member = await createMember(tenant.id);
    await joinDepartment(db(), actor, ids(member, sales));
    await leaveDepartment(db(), actor, ids(member, sales));
    expect(await stateOf(member)).toMatchObject({ main: null, departments: [] });
    expect((await lastEvent(member))?.changes).toEqual({ department: { before: sales.ref, after: null }, mainDepartmentId: { before: sales.ref, after: null } });
  });

  it("refuses to leave a department the member is not in", async () => {
    const { actor, department, tenant } = await setup();
    const sales = await department("Sales");
    const member = await createMember(tenant.id);
    await expect(leaveDepartment(db(), actor, ids(member, sales))).rejects.toThrow(InvalidTransitionError);
    expect(await eventCount(member)).toBe(0);
  });

  it("applies the same rules to the Departed department", async () => {
    const { actor, departed, department, tenant } = await setup();
    const departedRef = { id: departed.id.toString(), name: departed.name };
    const sales = await department("Sales");
    // A resigned member (placed in Departed by the lifecycle), rehired into Sales.
    const member = await createMember(tenant.id);
    await db().departmentMember.create({ data: { departmentId: departed.id, userId: member.id } });
    await db().user.update({ where: { id: member.id }, data: { mainDepartmentId: departed.id } });
    await joinDepartment(db(), actor, ids(member, sales));
    expect(await stateOf(member)).toMatchObject({ main: departed.id, departments: [departed.id, sales.id] });

    await expect(leaveDepartment(db(), actor, ids(member, departed))).rejects.toThrow(/main department/);
    await leaveDepartment(db(), actor, { ...ids(member, departed), newMainDepartmentId: sales.id.toString() });
    expect(await stateOf(member)).toMatchObject({ main: sales.id, departments: [sales.id] });
    expect((await lastEvent(member))?.changes).toEqual({ department: { before: departedRef, after: null }, mainDepartmentId: { before: departedRef, after: sales.ref } });

    // Leaving Departed as the last department clears the main one, as any other.
    const other = await createMember(tenant.id);
    await db().departmentMember.create({ data: { departmentId: departed.id, userId: other.id } });
    await db().user.update({ where: { id: other.id }, data: { mainDepartmentId: departed.id } });
    await leaveDepartment(db(), actor, ids(other, departed));
    expect(await stateOf(other)).toMatchObject({ main: null, departments: [] });
  });
});

describe("the main department", () => {
  it("becomes another of the member's departments, recording the old and new one", async () => {
    const { actor, department, tenant, caller } = await setup();
    const sales = await department("Sales");
    const support = await department("Support");
    const member = await createMember(tenant.id);
    await inDepartments(actor, member, [sales, support]);

    expect(await caller.departments.setMain(ids(member, support))).toEqual({ memberId: member.id.toString(), mainDepartmentId: support.id.toString(), changed: true });
    expect((await stateOf(member)).main).toBe(support.id);
    expect(await lastEvent(member)).toMatchObject({ action: "member.main_department_set", changes: { mainDepartmentId: { before: sales.ref, after: support.ref } } });
    expect((await getMember(db(), tenant.id, member.id)).mainDepartmentId).toBe(support.id);

    // Already main: nothing changes, nothing is recorded.
    const events = await eventCount(member);
    expect((await setMainDepartment(db(), actor, ids(member, support))).changed).toBe(false);
    expect(await eventCount(member)).toBe(events);
  });

  it("must be one of the member's departments: the database's foreign key refuses, shown as a field error", async () => {
    const { actor, department, tenant, caller } = await setup();
    const sales = await department("Sales");
    const elsewhere = await department("Elsewhere");
    const member = await createMember(tenant.id);
    await joinDepartment(db(), actor, ids(member, sales));
    const events = await eventCount(member);

    const refused = await setMainDepartment(db(), actor, ids(member, elsewhere)).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as ConflictError).fieldErrors).toEqual({ departmentId: ["The main department must be one of the member's departments"] });
    await expect(caller.departments.setMain(ids(member, elsewhere))).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await stateOf(member)).main).toBe(sales.id);
    expect(await eventCount(member)).toBe(events);
    // The rule holds for every code path, not only this service.
    await expect(db().user.update({ where: { id: member.id }, data: { mainDepartmentId: elsewhere.id } })).rejects.toThrow();
  });
});

describe("department heads", () => {
  it("marks and unmarks heads of the member's own departments; a department may have several", async () => {
    const { actor, department, tenant, caller } = await setup();
    const sales = await department("Sales");
    const ada = await createMember(tenant.id, { fullName: "Ada Lovelace" });
    const alan = await createMember(tenant.id, { fullName: "Alan Turing" });
    await inDepartments(actor, ada, [sales]);
    await inDepartments(actor, alan, [sales]);

    expect(await caller.departments.setHead({ ...ids(ada, sales), head: true })).toMatchObject({ head: true, changed: true });
    await setDepartmentHead(db(), actor, { ...ids(alan, sales), head: true });
    expect(await lastEvent(ada)).toMatchObject({ action: "member.department_head_set", changes: { headOf: { before: null, after: sales.ref } } });
    expect((await getMember(db(), tenant.id, ada.id)).deptHead).toBe(true);

    const heads = await caller.departments.heads({ departmentId: sales.id.toString() });
    expect(heads.map((head) => head.fullName)).toEqual(["Ada Lovelace", "Alan Turing"]);
    const node = findNode(await caller.departments.tree(), "Sales");
    expect(node?.heads).toEqual([
      { id: ada.id.toString(), fullName: "Ada Lovelace" },
      { id: alan.id.toString(), fullName: "Alan Turing" },
    ]);

    // Marking twice changes nothing; unmarking is recorded with the old value.
    const events = await eventCount(ada);
    expect((await setDepartmentHead(db(), actor, { ...ids(ada, sales), head: true })).changed).toBe(false);
    expect(await eventCount(ada)).toBe(events);
    await setDepartmentHead(db(), actor, { ...ids(ada, sales), head: false });
    expect(await lastEvent(ada)).toMatchObject({ action: "member.department_head_unset", changes: { headOf: { before: sales.ref, after: null } } });
    expect(findNode(await listDepartmentTree(db(), tenant.id), "Sales")?.heads.map((head) => head.fullName)).toEqual(["Alan Turing"]);
    expect((await getMember(db(), tenant.id, ada.id)).deptHead).toBe(false);
  });

  it("refuses a head outside the department and any head of Departed", async () => {
    const { actor, departed, department, tenant, caller } = await setup();
    const sales = await department("Sales");
    const member = await createMember(tenant.id);
    await expect(setDepartmentHead(db(), actor, { ...ids(member, sales), head: true })).rejects.toThrow(/members head only their own departments/);
    await db().departmentMember.create({ data: { departmentId: departed.id, userId: member.id } });
    await expect(caller.departments.setHead({ ...ids(member, departed), head: true })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await db().departmentMember.count({ where: { userId: member.id, isHead: true } })).toBe(0);
    expect(await eventCount(member)).toBe(0);
  });
});

describe("tenant isolation and permissions", () => {
  it("never reaches another organisation's members or departments", async () => {
    const mine = await setup();
    const theirs = await setup();
    const sales = await mine.department("Sales");
    const member = await createMember(mine.tenant.id);
    await joinDepartment(db(), mine.actor, ids(member, sales));
    const foreignDepartment = await theirs.department("Theirs");
    const foreignMember = await createMember(theirs.tenant.id);

    // Their admin, with my member or my department.
    for (const call of [
      () => theirs.caller.departments.join(ids(member, foreignDepartment)),
      () => theirs.caller.departments.join(ids(foreignMember, sales)),
      () => theirs.caller.departments.leave(ids(member, sales)),
      () => theirs.caller.departments.setMain(ids(member, sales)),
      () => theirs.caller.departments.setHead({ ...ids(member, sales), head: true }),
      () => theirs.caller.departments.heads({ departmentId: sales.id.toString() }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    // My admin, with their department.
    await expect(joinDepartment(db(), mine.actor, ids(member, foreignDepartment))).rejects.toBeInstanceOf(NotFoundError);
    await expect(setMainDepartment(db(), mine.actor, ids(member, foreignDepartment))).rejects.toBeInstanceOf(NotFoundError);
    expect(await stateOf(member)).toMatchObject({ main: sales.id, departments: [sales.id], heads: [] });
    expect(await stateOf(foreignMember)).toMatchObject({ main: null, departments: [] });
  });

  it("lets only administrators change a member's departments", async () => {
    const { tenant, department } = await setup();
    const sales = await department("Sales");
    const { member, sessionId } = await createSignedInMember(tenant.id);
    const caller = createCaller(await createContextForSessionId(sessionId));
    await expect(caller.departments.join(ids(member, sales))).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller.departments.setHead({ ...ids(member, sales), head: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await stateOf(member)).toMatchObject({ departments: [] });
  });
});

describe("two admins at once", () => {
  it("never leaves a member whose main department is not one of theirs", async () => {
    const { actor, department, tenant } = await setup();
    const sales = await department("Sales");
    const support = await department("Support");
    for (let round = 0; round < 5; round++) {
      const member = await createMember(tenant.id);
      await inDepartments(actor, member, [sales, support]);
      // One makes Support main while the other takes the member out of Support (not main when both started).
      const results = await Promise.allSettled([
        setMainDepartment(db(), actor, ids(member, support)),
        leaveDepartment(db(), actor, ids(member, support)),
      ]);
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      const state = await stateOf(member);
      expect(state.main).not.toBeNull();
      expect(state.departments).toContain(state.main);
    }
  });

  it("gives a member joining two departments at once exactly one main department among them", async () => {
    const { actor, department, tenant } = await setup();
    const sales = await department("Sales");
    const support = await department("Support");
    const member = await createMember(tenant.id);
    await Promise.all([joinDepartment(db(), actor, ids(member, sales)), joinDepartment(db(), actor, ids(member, support))]);
    const state = await stateOf(member);
    expect(state.departments).toEqual([sales.id, support.id]);
    expect([sales.id, support.id]).toContain(state.main);
    const joins = await db().auditEvent.findMany({ where: { targetId: member.id, action: "member.department_joined" } });
    expect(joins.filter((event) => "mainDepartmentId" in (event.changes as object))).toHaveLength(1);
  });

  it("never deletes a department a member is joining", async () => {
    const { actor, department, tenant } = await setup();
    for (let round = 0; round < 5; round++) {
      const target = await department(`Target ${round}`);
      const member = await createMember(tenant.id);
      const [join, remove] = await Promise.allSettled([joinDepartment(db(), actor, ids(member, target)), deleteDepartment(db(), actor, { departmentId: target.id.toString() })]);
      // Either the join came first (and the delete found a member), or the delete did (and the join found no department).
      expect([join.status, remove.status].sort()).toEqual(["fulfilled", "rejected"]);
      const exists = (await db().department.count({ where: { id: target.id } })) === 1;
      expect(await stateOf(member)).toMatchObject(exists ? { departments: [target.id], main: target.id } : { departments: [], main: null });
      if (!exists) expect(await eventCount(member)).toBe(0);
    }
  });
});
