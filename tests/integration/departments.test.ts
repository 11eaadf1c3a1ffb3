import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { ConflictError, InvalidTransitionError, NotFoundError } from "@/server/errors";
import { listDepartmentTree, type TDepartmentNode } from "@/server/org/list-department-tree";
import { createDepartment, deleteDepartment, moveDepartment, renameDepartment } from "@/server/org/manage-departments";
import { transferMember } from "@/server/org/transfer-member";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant } from "../support/factories";

async function setup() {
  const tenant = await createTenant();
  const { member: admin, sessionId } = await createSignedInMember(tenant.id, { role: "admin" });
  const actor = { tenantId: tenant.id, memberId: admin.id, sysAdmin: 1 };
  const departed = await db().department.findFirstOrThrow({ where: { tenantId: tenant.id, kind: "departed" } });
  return { tenant, admin, actor, departed, caller: createCaller(await createContextForSessionId(sessionId)) };
}

const names = (nodes: TDepartmentNode[]): unknown[] => nodes.map((node) => (node.children.length ? { [node.name]: names(node.children) } : node.name));

describe("the department tree", () => {
  it("gives every new tenant its Departed department, which cannot be deleted, renamed, moved or given children", async () => {
    const { actor, departed, tenant } = await setup();
    expect(departed.name).toBe("Departed");
    const engineering = await createDepartment(db(), actor, { name: "Engineering" });
    await expect(deleteDepartment(db(), actor, { departmentId: departed.id.toString() })).rejects.toBeInstanceOf(InvalidTransitionError);
    await expect(renameDepartment(db(), actor, { departmentId: departed.id.toString(), name: "Alumni" })).rejects.toBeInstanceOf(InvalidTransitionError);
    await expect(moveDepartment(db(), actor, { departmentId: departed.id.toString(), newParentId: engineering.id.toString() })).rejects.toBeInstanceOf(InvalidTransitionError);
    await expect(createDepartment(db(), actor, { name: "Sub", parentId: departed.id.toString() })).rejects.toBeInstanceOf(InvalidTransitionError);
    // The database refuses too, whatever the code path.
    await expect(db().department.delete({ where: { id: departed.id } })).rejects.toThrow(/Departed department cannot be deleted/);
    // ...but it goes with its tenant.
    await db().tenant.delete({ where: { id: tenant.id } });
    expect(await db().department.count({ where: { id: departed.id } })).toBe(0);
  });

  it("creates, renames and lists departments with member counts, Departed last", async () => {
    const { actor, tenant } = await setup();
    const engineering = await createDepartment(db(), actor, { name: "Engineering" });
    const platform = await createDepartment(db(), actor, { name: "Platform", parentId: engineering.id.toString() });
    await createDepartment(db(), actor, { name: "Sales" });
    const member = await createMember(tenant.id);
    await transferMember(db(), actor, { memberId: member.id.toString(), fromDepartmentId: null, toDepartmentId: platform.id.toString() });
    await renameDepartment(db(), actor, { departmentId: platform.id.toString(), name: "Platform team" });

    const tree = await listDepartmentTree(db(), tenant.id);
    expect(names(tree)).toEqual([{ Engineering: ["Platform team"] }, "Sales", "Departed"]);
    expect(tree[0]).toMatchObject({ memberCount: 0, subtreeMemberCount: 1 });
    expect(tree[0]!.children[0]).toMatchObject({ memberCount: 1, subtreeMemberCount: 1 });
  });

  it("refuses a sibling with the same name in any letter case, as a field error", async () => {
    const { actor } = await setup();
    const engineering = await createDepartment(db(), actor, { name: "Engineering" });
    const error = await createDepartment(db(), actor, { name: "ENGINEERING" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).fieldErrors).toEqual({ name: ["A department with this name already exists here"] });
    // The same name under another parent is fine.
    await expect(createDepartment(db(), actor, { name: "Engineering", parentId: engineering.id.toString() })).resolves.toHaveProperty("id");
  });

  it("moves a whole subtree, and never into itself", async () => {
    const { actor, tenant } = await setup();
    const a = await createDepartment(db(), actor, { name: "A" });
    const b = await createDepartment(db(), actor, { name: "B", parentId: a.id.toString() });
    const c = await createDepartment(db(), actor, { name: "C", parentId: b.id.toString() });
    const d = await createDepartment(db(), actor, { name: "D" });
    for (const target of [a, b, c]) {
      await expect(moveDepartment(db(), actor, { departmentId: a.id.toString(), newParentId: target.id.toString() })).rejects.toThrow(/into itself or one of its sub-departments/);
    }
    await moveDepartment(db(), actor, { departmentId: b.id.toString(), newParentId: d.id.toString() });
    expect(names(await listDepartmentTree(db(), tenant.id))).toEqual(["A", { D: [{ B: ["C"] }] }, "Departed"]);
    await moveDepartment(db(), actor, { departmentId: b.id.toString(), newParentId: null });
    expect(names(await listDepartmentTree(db(), tenant.id))).toEqual(["A", { B: ["C"] }, "D", "Departed"]);
    const moves = await db().auditEvent.findMany({ where: { targetType: "department", targetId: b.id, action: "department.moved" } });
    expect(moves.map((event) => event.changes)).toEqual([
      { parentId: { before: a.id.toString(), after: d.id.toString() } },
      { parentId: { before: d.id.toString(), after: null } },
    ]);
  });

  it("never lets two concurrent moves make a loop", async () => {
    const { actor, tenant } = await setup();
    const x = await createDepartment(db(), actor, { name: "X" });
    const y = await createDepartment(db(), actor, { name: "Y" });
    const results = await Promise.allSettled([
      moveDepartment(db(), actor, { departmentId: x.id.toString(), newParentId: y.id.toString() }),
      moveDepartment(db(), actor, { departmentId: y.id.toString(), newParentId: x.id.toString() }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const rows = await db().department.findMany({ where: { tenantId: tenant.id, id: { in: [x.id, y.id] } }, select: { parentId: true } });
    expect(rows.filter((row) => row.parentId === null)).toHaveLength(1);
  });

  it("deletes only an empty department", async () => {
    const { actor, tenant } = await setup();
    const parent = await createDepartment(db(), actor, { name: "Parent" });
    const child = await createDepartment(db(), actor, { name: "Child", parentId: parent.id.toString() });
    await expect(deleteDepartment(db(), actor, { departmentId: parent.id.toString() })).rejects.toThrow(/still has 1 sub-department/);
    const member = await createMember(tenant.id);
    await transferMember(db(), actor, { memberId: member.id.toString(), fromDepartmentId: null, toDepartmentId: child.id.toString() });
    await expect(deleteDepartment(db(), actor, { departmentId: child.id.toString() })).rejects.toThrow(/still has 1 member/);
    await transferMember(db(), actor, { memberId: member.id.toString(), fromDepartmentId: child.id.toString(), toDepartmentId: parent.id.toString() });
    await deleteDepartment(db(), actor, { departmentId: child.id.toString() });
    expect(await db().department.count({ where: { id: child.id } })).toBe(0);
    expect(await db().auditEvent.count({ where: { targetType: "department", targetId: child.id, action: "department.deleted" } })).toBe(1);
  });

  it("never reaches another tenant's departments", async () => {
    const { actor } = await setup();
    const { caller: outsider } = await setup();
    const mine = await createDepartment(db(), actor, { name: "Mine" });
    await expect(outsider.departments.rename({ departmentId: mine.id.toString(), name: "Theirs" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(outsider.departments.create({ name: "Sub", parentId: mine.id.toString() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(deleteDepartment(db(), { ...actor, tenantId: actor.tenantId + 1000n }, { departmentId: mine.id.toString() })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("transferring a member", () => {
  it("moves the member in one step, keeps the main department rule and records old and new", async () => {
    const { actor, tenant, caller } = await setup();
    const sales = await createDepartment(db(), actor, { name: "Sales" });
    const support = await createDepartment(db(), actor, { name: "Support" });
    const member = await createMember(tenant.id);
    await caller.departments.transferMember({ memberId: member.id.toString(), fromDepartmentId: null, toDepartmentId: sales.id.toString() });
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).mainDepartmentId).toBe(sales.id);

    const result = await caller.departments.transferMember({ memberId: member.id.toString(), fromDepartmentId: sales.id.toString(), toDepartmentId: support.id.toString() });
    expect(result).toEqual({ memberId: member.id.toString(), departmentId: support.id.toString(), main: true });
    const memberships = await db().departmentMember.findMany({ where: { userId: member.id } });
    expect(memberships.map((membership) => membership.departmentId)).toEqual([support.id]);
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).mainDepartmentId).toBe(support.id);

    const [event] = await db().auditEvent.findMany({ where: { targetId: member.id, action: "member.transferred" }, orderBy: { id: "desc" }, take: 1 });
    expect(event!.changes).toEqual({
      department: { before: { id: sales.id.toString(), name: "Sales" }, after: { id: support.id.toString(), name: "Support" } },
      mainDepartmentId: { before: sales.id.toString(), after: support.id.toString() },
    });
  });

  it("refuses a transfer from a department the member is not in, or into Departed, and changes nothing", async () => {
    const { actor, tenant, departed } = await setup();
    const sales = await createDepartment(db(), actor, { name: "Sales" });
    const support = await createDepartment(db(), actor, { name: "Support" });
    const member = await createMember(tenant.id);
    await expect(transferMember(db(), actor, { memberId: member.id.toString(), fromDepartmentId: sales.id.toString(), toDepartmentId: support.id.toString() })).rejects.toThrow(/not in “Sales”/);
    await expect(transferMember(db(), actor, { memberId: member.id.toString(), fromDepartmentId: null, toDepartmentId: departed.id.toString() })).rejects.toThrow(/by resigning/);
    expect(await db().departmentMember.count({ where: { userId: member.id } })).toBe(0);
  });
});

describe("transferring members in bulk", () => {
  it("moves every selected member in one transaction with one audit event each", async () => {
    const { actor, tenant, caller, admin } = await setup();
    const sales = await createDepartment(db(), actor, { name: "Sales" });
    const support = await createDepartment(db(), actor, { name: "Support" });
    const members = await Promise.all([createMember(tenant.id), createMember(tenant.id), createMember(tenant.id)]);
    await transferMember(db(), actor, { memberId: members[0].id.toString(), fromDepartmentId: null, toDepartmentId: sales.id.toString() });

    const result = await caller.departments.transferMembers({ memberIds: members.map((member) => member.id.toString()), toDepartmentId: support.id.toString() });
    expect(result).toEqual({ transferred: 3, departmentId: support.id.toString() });
    const rows = await db().user.findMany({ where: { id: { in: members.map((member) => member.id) } }, select: { mainDepartmentId: true, lastModifiedBy: true, departments: { select: { departmentId: true } } } });
    for (const row of rows) {
      expect(row.mainDepartmentId).toBe(support.id);
      expect(row.lastModifiedBy).toBe(admin.id);
      expect(row.departments).toEqual([{ departmentId: support.id }]);
    }
    const [first] = await db().auditEvent.findMany({ where: { targetId: members[0].id, action: "member.transferred" }, orderBy: { id: "desc" }, take: 1 });
    expect(first!.changes).toEqual({ departments: { before: [{ id: sales.id.toString(), name: "Sales" }], after: [{ id: support.id.toString(), name: "Support" }] } });
    expect(await db().auditEvent.count({ where: { action: "member.transferred", targetId: { in: members.map((member) => member.id) } } })).toBe(4);
  });

  it("changes nothing when one selected member is unknown or belongs to another organisation", async () => {
    const { actor, tenant } = await setup();
    const support = await createDepartment(db(), actor, { name: "Support" });
    const mine = await createMember(tenant.id);
    const theirs = await createMember((await createTenant()).id);
    const { transferMembers } = await import("@/server/org/transfer-members");
    await expect(transferMembers(db(), actor, { memberIds: [mine.id.toString(), theirs.id.toString()], toDepartmentId: support.id.toString() })).rejects.toThrow(/1 of the selected members no longer exist/);
    expect(await db().departmentMember.count({ where: { userId: mine.id } })).toBe(0);
  });
});
