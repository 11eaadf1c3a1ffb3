import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { listMembers } from "@/server/members/list-members";
import { listDepartmentTree, type TDepartmentNode } from "@/server/org/list-department-tree";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { createMember, createSignedInMember, createTenant } from "../support/factories";

let tenantId: bigint;

const flatten = (nodes: TDepartmentNode[]): TDepartmentNode[] => nodes.flatMap((node) => [node, ...flatten(node.children)]);

async function listTotal(departmentId: string): Promise<number> {
  let total = 0;
  let cursor: string | undefined;
  do {
    const page = await listMembers(db(), tenantId, { departmentId, limit: 200, cursor });
    total += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return total;
}

beforeAll(async () => {
  const tenant = await createTenant();
  tenantId = tenant.id;
  const { member: admin } = await createSignedInMember(tenantId, { role: "admin" });
  const actor = { tenantId, memberId: admin.id, sysAdmin: admin.sysAdmin };
  const engineering = await db().department.create({ data: { tenantId, name: "Engineering" } });
  const platform = await db().department.create({ data: { tenantId, name: "Platform", parentId: engineering.id } });
  const mobile = await db().department.create({ data: { tenantId, name: "Mobile", parentId: engineering.id } });
  const sales = await db().department.create({ data: { tenantId, name: "Sales" } });
  const join = async (memberId: bigint, ...departmentIds: bigint[]) => {
    for (const departmentId of departmentIds) await db().departmentMember.create({ data: { departmentId, userId: memberId } });
    await db().user.update({ where: { id: memberId }, data: { mainDepartmentId: departmentIds[0] } });
  };
  const member = async (...departmentIds: bigint[]) => {
    const created = await createMember(tenantId);
    await join(created.id, ...departmentIds);
    return created.id.toString();
  };
  await member(engineering.id);
  await member(platform.id);
  // In two sub-departments of Engineering: one member of its list, counted once.
  await member(platform.id, mobile.id);
  await member(sales.id, platform.id);
  const locked = await member(sales.id);
  await runLifecycleAction(db(), actor, { action: "lock", memberIds: [locked], reason: "Lost laptop" });
  const disabled = await member(mobile.id);
  await runLifecycleAction(db(), actor, { action: "disable", memberIds: [disabled], reason: "Leave" });
  for (const departmentId of [platform.id, sales.id]) {
    const resigned = await member(departmentId);
    await runLifecycleAction(db(), actor, { action: "resign", memberIds: [resigned], reason: "Moved on" });
  }
  // Resigned then archived: stays in Departed, listed only in the Archived view.
  const archived = await member(sales.id);
  await runLifecycleAction(db(), actor, { action: "resign", memberIds: [archived], reason: "Moved on" });
  await runLifecycleAction(db(), actor, { action: "archive", memberIds: [archived] });
  const archivedInPlace = await member(platform.id);
  await runLifecycleAction(db(), actor, { action: "archive", memberIds: [archivedInPlace] });
  // Deleted: in the recycle bin, listed nowhere in the directory.
  const deleted = await member(engineering.id, mobile.id);
  await runLifecycleAction(db(), actor, { action: "delete", memberIds: [deleted] });
  // Another tenant's members never count.
  const other = await createTenant();
  const otherMember = await createMember(other.id);
  await db().departmentMember.create({
    data: { departmentId: (await db().department.create({ data: { tenantId: other.id, name: "Engineering" } })).id, userId: otherMember.id },
  });
});

describe("department tree counts", () => {
  it("equal the member list's total for every department, Departed included, sub-departments counted once per member", async () => {
    const nodes = flatten(await listDepartmentTree(db(), tenantId));
    const departed = nodes.find((node) => node.kind === "departed");
    expect(departed?.subtreeMemberCount).toBe(2);
    for (const node of nodes) {
      expect({ name: node.name, count: node.subtreeMemberCount }).toEqual({ name: node.name, count: await listTotal(node.id) });
      if (node.children.length === 0) expect(node.memberCount).toBe(node.subtreeMemberCount);
    }
    const engineering = nodes.find((node) => node.name === "Engineering")!;
    expect({ direct: engineering.memberCount, subtree: engineering.subtreeMemberCount }).toEqual({ direct: 1, subtree: 5 });
  });
});
