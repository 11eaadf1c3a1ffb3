import { beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@/server/db/generated/client";
import { db } from "@/server/db/client";
import { listMembers } from "@/server/members/list-members";
import { listDepartmentTree, type TDepartmentNode } from "@/server/org/list-department-tree";
import { compactDepartmentCounts } from "@/server/org/compact-department-counts";
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

/** Where the trigger-kept counts differ from counting the memberships now: "department 12: kept 3, counted 2". */
async function countMismatches(tenant: bigint): Promise<string[]> {
  const rows = await db().$queryRaw<{ problem: string }[]>`
    WITH counted AS (
      SELECT d.id, count(u.id) AS n FROM departments d
      LEFT JOIN department_members dm ON dm.department_id = d.id
      LEFT JOIN users u ON u.id = dm.user_id AND u.deleted_at IS NULL AND u.state <> 'archived'
      WHERE d.tenant_id = ${tenant} GROUP BY d.id
    ), several AS (
      SELECT dm.user_id FROM department_members dm JOIN users u ON u.id = dm.user_id
      WHERE u.tenant_id = ${tenant} GROUP BY dm.user_id HAVING count(*) >= 2
    )
    SELECT 'department ' || c.id || ': kept ' || coalesce(k.n, 0) || ', counted ' || c.n AS problem
    FROM counted c LEFT JOIN (SELECT department_id, sum(listed_members) AS n FROM department_member_counts GROUP BY department_id) k ON k.department_id = c.id
    WHERE coalesce(k.n, 0) <> c.n
    UNION ALL
    SELECT 'member ' || coalesce(s.user_id, m.user_id) || (CASE WHEN s.user_id IS NULL THEN ' noted in several departments' ELSE ' in several departments, not noted' END)
    FROM several s FULL JOIN (SELECT user_id FROM multi_department_members WHERE tenant_id = ${tenant}) m ON m.user_id = s.user_id
    WHERE s.user_id IS NULL OR m.user_id IS NULL`;
  return rows.map((row) => row.problem);
}

describe("the counts kept by triggers", () => {
  it("agree with a recount after the lifecycle scenario above", async () => {
    expect(await countMismatches(tenantId)).toEqual([]);
  });

  it("agree with a recount after every step of a random walk of joins, leaves, moves, list changes, erasures and department deletions", async () => {
    const tenant = (await createTenant()).id;
    // A seeded generator: a failure replays the same walk.
    let seed = 20261204;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % below;
    };
    const departments: bigint[] = [];
    for (let index = 0; index < 6; index++) {
      const parentId = index > 0 && random(2) === 0 ? departments[random(departments.length)]! : null;
      departments.push((await db().department.create({ data: { tenantId: tenant, name: `D${index}`, parentId } })).id);
    }
    const members: bigint[] = [];
    for (let index = 0; index < 12; index++) members.push((await createMember(tenant)).id);
    const pick = <T>(items: T[]) => items[random(items.length)]!;
    const writable = Prisma.sql`state NOT IN ('archived', 'deleted')`;
    // Every way a member enters or leaves the list, as the lifecycle writes it (the table's own constraints hold).
    const listChanges = [
      { name: "delete", set: Prisma.sql`state = 'deleted', deleted_at = now()`, where: Prisma.sql`state <> 'deleted'` },
      { name: "restore", set: Prisma.sql`state = 'active', deleted_at = NULL`, where: Prisma.sql`state = 'deleted'` },
      { name: "archive", set: Prisma.sql`state = 'archived'`, where: writable },
      { name: "unarchive", set: Prisma.sql`state = 'disabled'`, where: Prisma.sql`state = 'archived'` },
      { name: "disable", set: Prisma.sql`state = 'disabled'`, where: writable },
    ];
    const steps: string[] = [];
    for (let step = 0; step < 150 && members.length > 0; step++) {
      const member = pick(members);
      const department = pick(departments);
      const kind = random(9);
      if (kind <= 2) {
        await db().$executeRaw`INSERT INTO department_members (department_id, user_id) SELECT ${department}, id FROM users WHERE id = ${member} AND ${writable} ON CONFLICT DO NOTHING`;
        steps.push(`join ${member} ${department}`);
      } else if (kind === 3) {
        // Several rows in one statement: the statement-level triggers see them together.
        await db().$executeRaw`INSERT INTO department_members (department_id, user_id) SELECT ${department}, id FROM users WHERE tenant_id = ${tenant} AND id % 3 = ${BigInt(random(3))} AND ${writable} ON CONFLICT DO NOTHING`;
        steps.push(`bulk join ${department}`);
      } else if (kind === 4) {
        await db().$executeRaw`DELETE FROM department_members WHERE user_id = ${member} OR (department_id = ${department} AND user_id % 2 = 0)`;
        steps.push(`leave ${member}, and half of ${department}`);
      } else if (kind === 5) {
        await db().$executeRaw`UPDATE department_members SET is_head = NOT is_head WHERE department_id = ${department} AND user_id IN (SELECT id FROM users WHERE ${writable})`;
        steps.push(`heads of ${department}`);
      } else if (kind === 6) {
        const change = pick(listChanges);
        await db().$executeRaw`UPDATE users SET ${change.set} WHERE tenant_id = ${tenant} AND id % 2 = ${BigInt(random(2))} AND ${change.where}`;
        steps.push(`${change.name} half`);
      } else if (kind === 7 && members.length > 4) {
        // Erased outright, listed or not (the recycle bin's hard delete erases unlisted ones).
        await db().$executeRaw`DELETE FROM users WHERE id = ${member}`;
        members.splice(members.indexOf(member), 1);
        steps.push(`erase ${member}`);
      } else if (kind === 8 && departments.length > 2 && (await db().department.count({ where: { parentId: department } })) === 0) {
        await db().department.delete({ where: { id: department } });
        departments.splice(departments.indexOf(department), 1);
        steps.push(`delete department ${department}`);
      }
      // The minute job folds the deltas at any moment: the counts stay right across it.
      if (step % 25 === 0) await compactDepartmentCounts(db());
      const mismatches = await countMismatches(tenant);
      if (mismatches.length > 0) expect({ steps, mismatches }).toEqual({ steps, mismatches: [] });
    }
    expect(steps.length).toBeGreaterThan(100);
    expect(await countMismatches(tenant)).toEqual([]);
  });
});

describe("the count triggers under a burst", () => {
  it("50 parallel transactions, each adding a member to the same departments in a different order, neither deadlock nor lose a count", async () => {
    const tenant = (await createTenant()).id;
    const departments = await Promise.all(["A", "B", "C"].map((name) => db().department.create({ data: { tenantId: tenant, name } })));
    const members = await Promise.all(Array.from({ length: 50 }, () => createMember(tenant)));
    const results = await Promise.allSettled(
      members.map((member, index) => {
        const order = index % 2 === 0 ? departments : [...departments].reverse();
        return db().$transaction(
          async (tx) => {
            // One statement per department, in opposite orders: the classic deadlock shape, if counts rows were locked in statement order.
            for (const department of order) await tx.$executeRaw`INSERT INTO department_members (department_id, user_id) VALUES (${department.id}, ${member.id})`;
          },
          // 50 transactions queue for the pool's connections (each holds the organisation's access lock in turn): waiting is not what this test is about.
          { maxWait: 30_000, timeout: 30_000 },
        );
      }),
    );
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    const kept = async () => {
      const sums = await db().departmentMemberCount.groupBy({ by: ["departmentId"], where: { departmentId: { in: departments.map((department) => department.id) } }, _sum: { listedMembers: true }, _count: true, orderBy: { departmentId: "asc" } });
      return { counts: sums.map((row) => row._sum.listedMembers), rows: sums.map((row) => row._count) };
    };
    expect((await kept()).counts).toEqual([50, 50, 50]);
    // Folded, one row per department, the same counts.
    await compactDepartmentCounts(db());
    expect(await kept()).toEqual({ counts: [50, 50, 50], rows: [1, 1, 1] });
    expect(await db().multiDepartmentMember.count({ where: { tenantId: tenant } })).toBe(50);
    expect(await countMismatches(tenant)).toEqual([]);
  });
});
