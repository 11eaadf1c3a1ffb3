import { describe, expect, it } from "vitest";
import { runOnce } from "graphile-worker";
import { db } from "@/server/db/client";
import { serverEnv } from "@/server/env";
import { enqueue } from "@/server/queue/enqueue";
import { taskList } from "@/workers/task-list";
import { createMember, createTenant } from "../support/factories";
import { comparable, effectiveAccessFromScratch, heatmapCountsFromScratch, storedEffectiveAccess, storedHeatmapCounts } from "../support/access-model";

// Effective access is stored as shared profiles (members with identical sets
// share one); profiles nobody holds any more are swept by an hourly job under
// the organisation's access lock.

async function scene() {
  const tenant = await createTenant();
  const t = tenant.id;
  const platform = await db().department.create({ data: { tenantId: t, name: "Platform" } });
  const developer = await db().role.create({ data: { tenantId: t, name: "Developer" } });
  const write = await db().policy.create({ data: { tenantId: t, name: "Write", permission: "repo:write" } });
  await db().rolePolicy.create({ data: { roleId: developer.id, policyId: write.id } });
  await db().departmentRole.create({ data: { departmentId: platform.id, roleId: developer.id } });
  const members = await Promise.all(Array.from({ length: 5 }, () => createMember(t)));
  await db().departmentMember.createMany({ data: members.map((member) => ({ departmentId: platform.id, userId: member.id })) });
  return { t, platform, developer, write, members };
}

const profilesOf = async (ids: bigint[]) =>
  (await db().memberAccessProfile.findMany({ where: { userId: { in: ids } }, orderBy: { userId: "asc" } })).map((row) => row.profileId);
async function unusedProfiles(tenantId: bigint): Promise<number> {
  const [row] = await db().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM access_profiles p WHERE p.tenant_id = ${tenantId}
      AND NOT EXISTS (SELECT 1 FROM member_access_profiles m WHERE m.profile_id = p.id)`;
  return row!.n;
}
const ageProfiles = () => db().$executeRaw`UPDATE access_profiles SET created_at = now() - interval '1 hour'`;

async function runSweepJob() {
  await db().$transaction((tx) => enqueue(tx, "access__sweep_profiles", {}));
  await runOnce({ connectionString: serverEnv().DATABASE_URL, taskList, logger: undefined });
}

describe("shared access profiles", () => {
  it("members with the same effective access share one profile; a member who cannot sign in has none", async () => {
    const s = await scene();
    const profiles = await profilesOf(s.members.map((member) => member.id));
    expect(profiles).toHaveLength(5);
    expect(new Set(profiles).size).toBe(1);
    const items = await db().accessProfileItem.findMany({ where: { profileId: profiles[0]! }, orderBy: [{ kind: "asc" }] });
    expect(items.map((item) => `${item.kind}:${item.itemId}`)).toEqual([`1:${s.developer.id}`, `3:${s.write.id}`]);
    await db().user.update({ where: { id: s.members[0]!.id }, data: { state: "disabled" } });
    expect(await profilesOf([s.members[0]!.id])).toEqual([]);
  });

  it("the hourly job sweeps the profiles nobody holds, keeps the held ones, and changes no one's access", async () => {
    const s = await scene();
    const other = await scene();
    // Everyone moves off the first profile: the role's policy goes.
    await db().rolePolicy.deleteMany({ where: { roleId: s.developer.id } });
    await db().rolePolicy.deleteMany({ where: { roleId: other.developer.id } });
    expect(await unusedProfiles(s.t)).toBe(1);
    const before = comparable(await storedEffectiveAccess(s.t));
    // Profiles made moments ago are spared (a change may be about to use one).
    await runSweepJob();
    expect(await unusedProfiles(s.t)).toBe(1);
    await ageProfiles();
    await runSweepJob();
    expect(await unusedProfiles(s.t)).toBe(0);
    expect(await unusedProfiles(other.t)).toBe(0);
    expect(comparable(await storedEffectiveAccess(s.t))).toEqual(before);
    expect(comparable(await storedEffectiveAccess(s.t))).toEqual(comparable(await effectiveAccessFromScratch(s.t)));
    // Running it again finds nothing to do.
    await runSweepJob();
    expect(comparable(await storedEffectiveAccess(s.t))).toEqual(before);
  });

  it("a sweep racing changes that go back to an unused profile never leaves a member pointing at a swept one", async () => {
    const s = await scene();
    for (let round = 0; round < 10; round += 1) {
      await db().rolePolicy.deleteMany({ where: { roleId: s.developer.id } });
      await ageProfiles();
      // The policy comes back (the old profile's set again) while the sweep runs.
      await Promise.all([
        db().rolePolicy.create({ data: { roleId: s.developer.id, policyId: s.write.id } }),
        db().$transaction((tx) => tx.$queryRaw`SELECT tenure_sweep_access_profiles(${s.t}, interval '0 seconds')`),
      ]);
      const [dangling] = await db().$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM member_access_profiles m WHERE NOT EXISTS (SELECT 1 FROM access_profiles p WHERE p.id = m.profile_id)`;
      expect(dangling!.n).toBe(0);
      expect(comparable(await storedEffectiveAccess(s.t))).toEqual(comparable(await effectiveAccessFromScratch(s.t)));
    }
    expect(await storedHeatmapCounts(s.t)).toEqual(await heatmapCountsFromScratch(s.t));
  });
});
