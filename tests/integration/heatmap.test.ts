import { runOnce } from "graphile-worker";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { serverEnv } from "@/server/env";
import { enqueue } from "@/server/queue/enqueue";
import { taskList } from "@/workers/task-list";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { transferMember } from "@/server/org/transfer-member";
import { compactDepartmentAccessCounts } from "@/server/heatmap/compact-access-counts";
import { listCellHolders } from "@/server/heatmap/list-cell-holders";
import { listOutliers } from "@/server/heatmap/list-outliers";
import { loadDepartmentHeatmap, type TDepartmentHeatmap } from "@/server/heatmap/load-department-heatmap";
import { unpackCells } from "@/server/heatmap/packed-cells";
import { OUTLIER_MAX_HOLDERS, OUTLIER_MAX_SHARE } from "@/server/heatmap/outlier-rule";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant } from "../support/factories";

// Issue 12 item 7: the heatmap's cells come from trigger-kept deltas; these
// tests hold them to a count from scratch over the memberships and every
// access path, after each kind of change, and after folding.

type TOrg = Awaited<ReturnType<typeof seedOrganisation>>;
let org: TOrg;

async function seedOrganisation() {
  const tenant = await createTenant();
  const { member: admin, sessionId } = await createSignedInMember(tenant.id, { role: "admin" });
  const actor = { tenantId: tenant.id, memberId: admin.id, sysAdmin: admin.sysAdmin };
  const department = (name: string, parentId?: bigint) => db().department.create({ data: { tenantId: tenant.id, name, parentId } });
  const engineering = await department("Engineering");
  const platform = await department("Platform", engineering.id);
  const sales = await department("Sales");
  const policy = (permission: string, name: string) => db().policy.create({ data: { tenantId: tenant.id, permission, name } });
  const repoWrite = await policy("repo:write", "Write code");
  const repoRead = await policy("repo:read", "Read code");
  const billing = await policy("billing:read", "Read invoices");
  const developer = await db().role.create({ data: { tenantId: tenant.id, name: "Developer" } });
  await db().rolePolicy.createMany({ data: [{ roleId: developer.id, policyId: repoWrite.id }, { roleId: developer.id, policyId: repoRead.id }] });
  const oncall = await db().group.create({ data: { tenantId: tenant.id, name: "Oncall" } });
  await db().groupRole.create({ data: { groupId: oncall.id, roleId: developer.id } });
  // Developer granted on Engineering for its whole subtree: Platform inherits it.
  await db().departmentRole.create({ data: { departmentId: engineering.id, roleId: developer.id, subtree: true } });

  const member = async (departmentId: bigint, fullName: string) => {
    const created = await createMember(tenant.id, { fullName, password: null });
    await db().departmentMember.create({ data: { departmentId, userId: created.id } });
    return created;
  };
  const ada = await member(platform.id, "Ada Platform");
  const bob = await member(platform.id, "Bob Platform");
  const eve = await member(engineering.id, "Eve Engineering");
  const sam = await member(sales.id, "Sam Sales");
  const tom = await member(sales.id, "Tom Sales");
  await db().memberGroup.create({ data: { groupId: oncall.id, userId: sam.id } });
  await db().memberPolicy.create({ data: { userId: tom.id, policyId: billing.id } });
  return {
    tenant,
    admin,
    actor,
    caller: createCaller(await createContextForSessionId(sessionId)),
    departments: { engineering, platform, sales },
    policies: { repoWrite, repoRead, billing },
    developer,
    members: { ada, bob, eve, sam, tom },
  };
}

/** Every non-zero cell and each department's members who can sign in, counted now from memberships and access paths. */
async function countFromScratch(tenantId: bigint) {
  const cells = await db().$queryRaw<{ department_id: bigint; policy_id: bigint; holders: number }[]>`
    SELECT dm.department_id, p.item_id AS policy_id, count(DISTINCT dm.user_id)::int AS holders
    FROM department_members dm
    JOIN users u ON u.id = dm.user_id AND u.state = 'active' AND u.tenant_id = ${tenantId}
    JOIN member_access_paths p ON p.user_id = dm.user_id AND p.kind = 3
    GROUP BY 1, 2 ORDER BY 1, 2`;
  const members = await db().$queryRaw<{ department_id: bigint; members: number }[]>`
    SELECT d.id AS department_id, count(u.id)::int AS members
    FROM departments d LEFT JOIN department_members dm ON dm.department_id = d.id
    LEFT JOIN users u ON u.id = dm.user_id AND u.state = 'active'
    WHERE d.tenant_id = ${tenantId} GROUP BY d.id ORDER BY d.id`;
  return {
    cells: cells.map((row) => `${row.department_id}×${row.policy_id}=${row.holders}`),
    members: members.map((row) => `${row.department_id}=${row.members}`),
  };
}

function asCounted(heatmap: TDepartmentHeatmap) {
  return {
    cells: unpackCells(heatmap.cells)
      .map(([row, column, holders]) => ({ department: BigInt(heatmap.departments[row]!.id), policy: BigInt(heatmap.permissions[column]!.id), holders }))
      .sort((a, b) => (a.department === b.department ? Number(a.policy - b.policy) : Number(a.department - b.department)))
      .map((cell) => `${cell.department}×${cell.policy}=${cell.holders}`),
    members: [...heatmap.departments].sort((a, b) => Number(BigInt(a.id) - BigInt(b.id))).map((row) => `${row.id}=${row.members}`),
  };
}

const cellOf = (heatmap: TDepartmentHeatmap, departmentName: string, permission: string) => {
  const row = heatmap.departments.findIndex((department) => department.name === departmentName);
  const column = heatmap.permissions.findIndex((policy) => policy.permission === permission);
  return unpackCells(heatmap.cells).find((cell) => cell[0] === row && cell[1] === column) ?? null;
};

beforeAll(async () => {
  org = await seedOrganisation();
});

describe("the department heatmap's counts", () => {
  it("count grants through a subtree department grant, a group and a direct policy, with each department's members as denominator", async () => {
    const heatmap = await loadDepartmentHeatmap(db(), org.tenant.id);
    expect(asCounted(heatmap)).toEqual(await countFromScratch(org.tenant.id));
    expect(heatmap.departments.map((department) => department.path.join(" / "))).toEqual(
      expect.arrayContaining(["Engineering", "Engineering / Platform", "Sales"]),
    );
    // Tree order: a child follows its parent.
    const names = heatmap.departments.map((department) => department.name);
    expect(names.indexOf("Platform")).toBe(names.indexOf("Engineering") + 1);
    expect(cellOf(heatmap, "Platform", "repo:write")?.[2]).toBe(2);
    expect(cellOf(heatmap, "Engineering", "repo:write")?.[2]).toBe(1);
    expect(cellOf(heatmap, "Sales", "repo:read")?.[2]).toBe(1);
    expect(cellOf(heatmap, "Sales", "billing:read")?.[2]).toBe(1);
    expect(cellOf(heatmap, "Engineering", "billing:read")).toBeNull();
    const sales = heatmap.departments.find((department) => department.name === "Sales")!;
    expect({ members: sales.members, permissionsHeld: sales.permissionsHeld, holdings: sales.holdings }).toEqual({ members: 2, permissionsHeld: 3, holdings: 3 });
  });

  it("follow a transfer and a disable at once (a member who cannot sign in counts nowhere), and folding the deltas loses nothing", async () => {
    const local = await seedOrganisation();
    const { ada, sam } = local.members;
    await transferMember(db(), local.actor, { memberId: ada.id.toString(), fromDepartmentId: local.departments.platform.id.toString(), toDepartmentId: local.departments.sales.id.toString() });
    let heatmap = await loadDepartmentHeatmap(db(), local.tenant.id);
    expect(asCounted(heatmap)).toEqual(await countFromScratch(local.tenant.id));
    expect(cellOf(heatmap, "Platform", "repo:write")?.[2]).toBe(1);
    // Ada left the department that gave her Developer: in Sales she holds nothing.
    expect(cellOf(heatmap, "Sales", "repo:write")?.[2]).toBe(1);
    expect(heatmap.departments.find((department) => department.name === "Sales")!.members).toBe(3);

    await runLifecycleAction(db(), local.actor, { action: "disable", memberIds: [sam.id.toString()], reason: "Leave" });
    heatmap = await loadDepartmentHeatmap(db(), local.tenant.id);
    expect(asCounted(heatmap)).toEqual(await countFromScratch(local.tenant.id));
    expect(cellOf(heatmap, "Sales", "repo:write")).toBeNull();
    expect(heatmap.departments.find((department) => department.name === "Sales")!.members).toBe(2);

    const deltaRows = () =>
      db().$queryRaw<{ rows: number; cells: number }[]>`
        SELECT count(*)::int AS rows, count(DISTINCT (c.department_id, c.policy_id))::int AS cells
        FROM department_access_counts c JOIN departments d ON d.id = c.department_id WHERE d.tenant_id = ${local.tenant.id}`;
    expect((await deltaRows())[0]!.rows).toBeGreaterThan((await deltaRows())[0]!.cells);
    await compactDepartmentAccessCounts(db());
    await compactDepartmentAccessCounts(db());
    const [after] = await deltaRows();
    expect(after!.rows).toBe(after!.cells);
    expect(await loadDepartmentHeatmap(db(), local.tenant.id)).toEqual(heatmap);
    expect(asCounted(heatmap)).toEqual(await countFromScratch(local.tenant.id));
  });

  it("are folded by the every-minute department__compact_counts job, run by graphile-worker", async () => {
    const local = await seedOrganisation();
    await runLifecycleAction(db(), local.actor, { action: "disable", memberIds: [local.members.bob.id.toString()], reason: "Leave" });
    const before = await loadDepartmentHeatmap(db(), local.tenant.id);
    const unfolded = async () => {
      const [row] = await db().$queryRaw<{ extra: number }[]>`
        SELECT (count(*) - count(DISTINCT (c.department_id, c.policy_id)))::int AS extra
        FROM department_access_counts c JOIN departments d ON d.id = c.department_id WHERE d.tenant_id = ${local.tenant.id}`;
      return row!.extra;
    };
    expect(await unfolded()).toBeGreaterThan(0);
    await db().$transaction((tx) => enqueue(tx, "department__compact_counts", {}));
    await runOnce({ connectionString: serverEnv().DATABASE_URL, taskList, logger: undefined });
    expect(await unfolded()).toBe(0);
    expect(await loadDepartmentHeatmap(db(), local.tenant.id)).toEqual(before);
  });

  it("filters by a department's subtree and by permission text", async () => {
    const heatmap = await loadDepartmentHeatmap(db(), org.tenant.id, { subtreeOf: org.departments.engineering.id.toString(), permissionContains: "REPO:w" });
    expect(heatmap.departments.map((department) => department.name)).toEqual(["Engineering", "Platform"]);
    expect(heatmap.permissions.map((policy) => policy.permission)).toEqual(["repo:write"]);
    expect(unpackCells(heatmap.cells).map((cell) => cell[2])).toEqual([1, 2]);
    const byName = await loadDepartmentHeatmap(db(), org.tenant.id, { permissionContains: "invoices" });
    expect(byName.permissions.map((policy) => policy.permission)).toEqual(["billing:read"]);
    // LIKE's wildcards are text here, not patterns.
    expect((await loadDepartmentHeatmap(db(), org.tenant.id, { permissionContains: "%" })).permissions).toEqual([]);
  });
});

describe("a cell's holders", () => {
  it("lists the department's holders with every path, and pages by member id", async () => {
    const page = await listCellHolders(db(), org.tenant.id, { departmentId: org.departments.platform.id.toString(), policyId: org.policies.repoWrite.id.toString() });
    expect(page.items.map((holder) => holder.fullName)).toEqual(["Ada Platform", "Bob Platform"]);
    expect(page.items[0]!.paths).toEqual(["policy repo:write ← role Developer ← department Platform (granted on Engineering, subtree)"]);
    expect(page.nextCursor).toBeNull();
    const sales = await listCellHolders(db(), org.tenant.id, { departmentId: org.departments.sales.id.toString(), policyId: org.policies.repoRead.id.toString() });
    expect(sales.items.map((holder) => holder.paths)).toEqual([["policy repo:read ← role Developer ← group Oncall"]]);

    // 53 holders: a page of 50, then 3.
    const crowd = await db().department.create({ data: { tenantId: org.tenant.id, name: "Crowd" } });
    const created = [];
    for (let index = 0; index < 53; index += 1) created.push(await createMember(org.tenant.id, { password: null }));
    await db().departmentMember.createMany({ data: created.map((member) => ({ departmentId: crowd.id, userId: member.id })) });
    await db().memberPolicy.createMany({ data: created.map((member) => ({ userId: member.id, policyId: org.policies.billing.id })) });
    const first = await org.caller.heatmap.cellHolders({ departmentId: crowd.id.toString(), policyId: org.policies.billing.id.toString() });
    expect(first.items).toHaveLength(50);
    expect(first.items[0]!.paths).toEqual(["policy billing:read ← granted directly"]);
    // What an infinite query sends: its own "direction" beside the cursor.
    const second = await org.caller.heatmap.cellHolders({ departmentId: crowd.id.toString(), policyId: org.policies.billing.id.toString(), cursor: first.nextCursor, direction: "forward" } as never);
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((holder) => holder.id)).toEqual(created.map((member) => member.id.toString()));
  });
});

describe("outliers", () => {
  it(`flags a permission held by at most ${OUTLIER_MAX_HOLDERS} members and ${OUTLIER_MAX_SHARE * 100}% of a department, with who and why`, async () => {
    const local = await seedOrganisation();
    const department = async (name: string, size: number) => {
      const created = await db().department.create({ data: { tenantId: local.tenant.id, name } });
      const members = [];
      for (let index = 0; index < size; index += 1) members.push(await createMember(local.tenant.id, { password: null }));
      await db().departmentMember.createMany({ data: members.map((member) => ({ departmentId: created.id, userId: member.id })) });
      return { created, members };
    };
    // 1 of 40 (2.5%): an outlier. 1 of 10 (10%): too common. 3 of 80 (3.75%): too many holders.
    const big = await department("Support", 40);
    const small = await department("Legal", 10);
    const wide = await department("Field", 80);
    const grant = (members: { id: bigint }[]) => db().memberPolicy.createMany({ data: members.map((member) => ({ userId: member.id, policyId: local.policies.billing.id })) });
    await grant(big.members.slice(0, 1));
    await grant(small.members.slice(0, 1));
    await grant(wide.members.slice(0, 3));

    const heatmap = await loadDepartmentHeatmap(db(), local.tenant.id);
    expect(cellOf(heatmap, "Support", "billing:read")).toEqual([expect.any(Number), expect.any(Number), 1, 1]);
    expect(cellOf(heatmap, "Legal", "billing:read")?.[3]).toBe(0);
    expect(cellOf(heatmap, "Field", "billing:read")?.[3]).toBe(0);
    const flagged = unpackCells(heatmap.cells).filter((cell) => cell[3] === 1).map((cell) => `${heatmap.departments[cell[0]]!.name} ${heatmap.permissions[cell[1]]!.permission}`);
    expect(flagged).toEqual(["Support billing:read"]);

    const outliers = await listOutliers(db(), local.tenant.id);
    expect(outliers.truncated).toBe(false);
    expect(outliers.items).toEqual([
      {
        department: { id: big.created.id.toString(), name: "Support" },
        policy: { id: local.policies.billing.id.toString(), permission: "billing:read", name: "Read invoices" },
        holders: 1,
        members: 40,
        holdersList: [{ id: big.members[0]!.id.toString(), fullName: big.members[0]!.fullName, paths: ["policy billing:read ← granted directly"] }],
      },
    ]);
    expect((await local.caller.heatmap.outliers({ departmentId: small.created.id.toString() })).items).toEqual([]);
    // Disabled, the outlier holds nothing: the cell and the outlier are gone.
    await runLifecycleAction(db(), local.actor, { action: "disable", memberIds: [big.members[0]!.id.toString()], reason: "Leave" });
    expect((await listOutliers(db(), local.tenant.id)).items).toEqual([]);
  });
});

describe("the role heatmap", () => {
  it("shows which permissions each role carries and how many members hold the role", async () => {
    const heatmap = await org.caller.heatmap.roles();
    expect(heatmap.roles).toEqual([{ id: org.developer.id.toString(), name: "Developer", holders: 4 }]);
    expect(heatmap.cells.map(([, column]) => heatmap.permissions[column]!.permission)).toEqual(["repo:read", "repo:write"]);
  });
});

describe("who may look", () => {
  it("refuses members and anonymous callers, and keeps each organisation to its own departments and permissions", async () => {
    const { sessionId: memberSession } = await createSignedInMember(org.tenant.id, { role: "member" });
    const member = createCaller(await createContextForSessionId(memberSession));
    const anonymous = createCaller(await createContextForSessionId(null));
    const cell = { departmentId: org.departments.platform.id.toString(), policyId: org.policies.repoWrite.id.toString() };
    for (const [caller, code] of [
      [member, "FORBIDDEN"],
      [anonymous, "UNAUTHORIZED"],
    ] as const) {
      await expect(caller.heatmap.departments({})).rejects.toMatchObject({ code });
      await expect(caller.heatmap.roles()).rejects.toMatchObject({ code });
      await expect(caller.heatmap.cellHolders(cell)).rejects.toMatchObject({ code });
      await expect(caller.heatmap.outliers({})).rejects.toMatchObject({ code });
    }

    const other = await createTenant();
    const { sessionId } = await createSignedInMember(other.id, { role: "admin" });
    const outsider = createCaller(await createContextForSessionId(sessionId));
    const theirs = await outsider.heatmap.departments({});
    expect(theirs.departments.map((department) => department.name)).toEqual(["Departed"]);
    expect(theirs.permissions).toEqual([]);
    expect(theirs.cells).toBe("");
    expect((await outsider.heatmap.roles()).roles).toEqual([]);
    await expect(outsider.heatmap.cellHolders(cell)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(outsider.heatmap.departments({ subtreeOf: cell.departmentId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(outsider.heatmap.outliers({ departmentId: cell.departmentId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Their own department with our permission: still nothing to see.
    const theirDepartment = await db().department.create({ data: { tenantId: other.id, name: "Platform" } });
    await expect(outsider.heatmap.cellHolders({ ...cell, departmentId: theirDepartment.id.toString() })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("answers malformed input with BAD_REQUEST", async () => {
    const cell = { departmentId: org.departments.platform.id.toString(), policyId: org.policies.repoWrite.id.toString() };
    for (const cursor of ["not base64 json", Buffer.from('["1","2"]').toString("base64url"), Buffer.from('["99999999999999999999999"]').toString("base64url"), "x".repeat(201)]) {
      await expect(org.caller.heatmap.cellHolders({ ...cell, cursor })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    await expect(org.caller.heatmap.cellHolders({ ...cell, policyId: "-1" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(org.caller.heatmap.departments({ subtreeOf: "1e3" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(org.caller.heatmap.departments({ permissionContains: "a".repeat(101) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(org.caller.heatmap.departments({ permissionContains: "a\u0000b" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(org.caller.heatmap.departments({ extra: 1 } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
