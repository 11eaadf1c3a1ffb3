import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { can } from "@/server/access/can";
import { createMember, createTenant } from "../support/factories";
import { comparable, effectiveAccessFromScratch, heatmapCountsFromScratch, storedEffectiveAccess, storedHeatmapCounts } from "../support/access-model";

// Random sequences of access changes (department and group grants with and
// without subtree, memberships, department moves, role policies, direct
// grants, sign-in state) never leave effective access different from a
// from-scratch recomputation, and a member who cannot sign in holds nothing.

const DEPARTMENTS = 4;
const MEMBERS = 3;
const ROLES = 2;
const POLICIES = 3;

type TStep =
  | { kind: "departmentRole"; department: number; role: number; subtree: boolean; on: boolean }
  | { kind: "departmentApp"; department: number; subtree: boolean; on: boolean }
  | { kind: "groupRole"; role: number; on: boolean }
  | { kind: "membership"; member: number; department: number; on: boolean }
  | { kind: "group"; member: number; on: boolean }
  | { kind: "move"; department: number; parent: number | null }
  | { kind: "rolePolicy"; role: number; policy: number; on: boolean }
  | { kind: "directRole"; member: number; role: number; on: boolean }
  | { kind: "state"; member: number; state: "active" | "locked" | "disabled" };

const index = (n: number) => fc.nat(n - 1);
const stepArbitrary: fc.Arbitrary<TStep> = fc.oneof(
  fc.record({ kind: fc.constant("departmentRole" as const), department: index(DEPARTMENTS), role: index(ROLES), subtree: fc.boolean(), on: fc.boolean() }),
  fc.record({ kind: fc.constant("departmentApp" as const), department: index(DEPARTMENTS), subtree: fc.boolean(), on: fc.boolean() }),
  fc.record({ kind: fc.constant("groupRole" as const), role: index(ROLES), on: fc.boolean() }),
  fc.record({ kind: fc.constant("membership" as const), member: index(MEMBERS), department: index(DEPARTMENTS), on: fc.boolean() }),
  fc.record({ kind: fc.constant("group" as const), member: index(MEMBERS), on: fc.boolean() }),
  fc.record({ kind: fc.constant("move" as const), department: index(DEPARTMENTS), parent: fc.option(index(DEPARTMENTS), { nil: null }) }),
  fc.record({ kind: fc.constant("rolePolicy" as const), role: index(ROLES), policy: index(POLICIES), on: fc.boolean() }),
  fc.record({ kind: fc.constant("directRole" as const), member: index(MEMBERS), role: index(ROLES), on: fc.boolean() }),
  fc.record({ kind: fc.constant("state" as const), member: index(MEMBERS), state: fc.constantFrom("active" as const, "locked" as const, "disabled" as const) }),
);

async function scene() {
  const tenant = await createTenant();
  const t = tenant.id;
  const departments: { id: bigint }[] = [];
  for (let n = 0; n < DEPARTMENTS; n += 1) departments.push(await db().department.create({ data: { tenantId: t, name: `D${n}`, parentId: n === 0 ? null : departments[Math.floor((n - 1) / 2)]!.id } }));
  const roles = await Promise.all(Array.from({ length: ROLES }, (_, n) => db().role.create({ data: { tenantId: t, name: `R${n}` } })));
  const policies = await Promise.all(Array.from({ length: POLICIES }, (_, n) => db().policy.create({ data: { tenantId: t, name: `P${n}`, permission: `res${n}:act` } })));
  const app = await db().application.create({ data: { tenantId: t, name: "App" } });
  const group = await db().group.create({ data: { tenantId: t, name: "G" } });
  const members = [];
  for (let n = 0; n < MEMBERS; n += 1) members.push(await createMember(t));
  return { t, departments, roles, policies, app, group, members };
}

type TScene = Awaited<ReturnType<typeof scene>>;

async function isAncestor(ancestorId: bigint, departmentId: bigint): Promise<boolean> {
  for (let at: bigint | null = departmentId; at !== null; ) {
    if (at === ancestorId) return true;
    at = (await db().department.findUniqueOrThrow({ where: { id: at }, select: { parentId: true } })).parentId;
  }
  return false;
}

async function apply(s: TScene, step: TStep): Promise<void> {
  switch (step.kind) {
    case "departmentRole": {
      const key = { departmentId: s.departments[step.department]!.id, roleId: s.roles[step.role]!.id };
      if (!step.on) await db().departmentRole.deleteMany({ where: key });
      else await db().departmentRole.upsert({ where: { departmentId_roleId: key }, create: { ...key, subtree: step.subtree }, update: { subtree: step.subtree } });
      return;
    }
    case "departmentApp": {
      const key = { departmentId: s.departments[step.department]!.id, applicationId: s.app.id };
      if (!step.on) await db().departmentApplication.deleteMany({ where: key });
      else await db().departmentApplication.upsert({ where: { departmentId_applicationId: key }, create: { ...key, subtree: step.subtree }, update: { subtree: step.subtree } });
      return;
    }
    case "groupRole": {
      const key = { groupId: s.group.id, roleId: s.roles[step.role]!.id };
      if (step.on) await db().groupRole.createMany({ data: [key], skipDuplicates: true });
      else await db().groupRole.deleteMany({ where: key });
      return;
    }
    case "membership": {
      const key = { departmentId: s.departments[step.department]!.id, userId: s.members[step.member]!.id };
      if (step.on) await db().departmentMember.createMany({ data: [key], skipDuplicates: true });
      else await db().departmentMember.deleteMany({ where: key });
      return;
    }
    case "group": {
      const key = { groupId: s.group.id, userId: s.members[step.member]!.id };
      if (step.on) await db().memberGroup.createMany({ data: [key], skipDuplicates: true });
      else await db().memberGroup.deleteMany({ where: key });
      return;
    }
    case "move": {
      const department = s.departments[step.department]!;
      const parentId = step.parent === null ? null : s.departments[step.parent]!.id;
      if (parentId !== null && (await isAncestor(department.id, parentId))) return; // would make a cycle
      await db().department.update({ where: { id: department.id }, data: { parentId } });
      return;
    }
    case "rolePolicy": {
      const key = { roleId: s.roles[step.role]!.id, policyId: s.policies[step.policy]!.id };
      if (step.on) await db().rolePolicy.createMany({ data: [key], skipDuplicates: true });
      else await db().rolePolicy.deleteMany({ where: key });
      return;
    }
    case "directRole": {
      const key = { userId: s.members[step.member]!.id, roleId: s.roles[step.role]!.id };
      if (step.on) await db().memberRole.createMany({ data: [key], skipDuplicates: true });
      else await db().memberRole.deleteMany({ where: key });
      return;
    }
    case "state":
      await db().user.update({ where: { id: s.members[step.member]!.id }, data: { state: step.state } });
      return;
  }
}

describe("access invariants (property test)", () => {
  it("effective access always equals a from-scratch recomputation; a member who cannot sign in has none", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 25 }), async (steps) => {
        const s = await scene();
        for (const step of steps) {
          await apply(s, step);
          const stored = comparable(await storedEffectiveAccess(s.t));
          expect(stored, JSON.stringify(step)).toEqual(comparable(await effectiveAccessFromScratch(s.t)));
          for (const member of s.members) {
            const { state } = await db().user.findUniqueOrThrow({ where: { id: member.id }, select: { state: true } });
            if (state !== "active") {
              expect(stored[member.id.toString()], `${state} member holds nothing`).toEqual([]);
              for (let n = 0; n < POLICIES; n += 1) expect(await can(db(), s.t, member.id, `res${n}:act`)).toBe(false);
            }
          }
        }
        await db().$queryRaw`SELECT tenure_compact_department_access_counts()`;
        expect(await storedHeatmapCounts(s.t)).toEqual(await heatmapCountsFromScratch(s.t));
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
