import { runOnce } from "graphile-worker";
import pg from "pg";
import { db } from "@/server/db/client";
import { serverEnv } from "@/server/env";
import { createCatalogItem } from "@/server/access/manage-catalog";
import { grantToMembers } from "@/server/access/grant-access";
import { taskList } from "@/workers/task-list";
import { createMember, createSignedInMember, createTenant } from "./factories";

/**
 * Runs every due job with the real task list (graphile-worker runOnce), then
 * returns once its connections are closed: a pool still ending when the test
 * file drops its database would die with an uncaught "terminating connection".
 */
export async function runDueJobs(): Promise<void> {
  const pgPool = new pg.Pool({ connectionString: serverEnv().DATABASE_URL });
  try {
    await runOnce({ pgPool, taskList, logger: undefined });
  } finally {
    await pgPool.end();
  }
}

/** Moves a member's scheduled jobs to now, as if their time had come. */
export async function makeJobsDue(key: string): Promise<number> {
  return db().$executeRaw`UPDATE graphile_worker._private_jobs SET run_at = now() - interval '1 second' WHERE key = ${key}`;
}

export async function scheduledJob(key: string): Promise<{ run_at: Date; task_identifier: string } | null> {
  const rows = await db().$queryRaw<{ run_at: Date; task_identifier: string }[]>`
    SELECT run_at, task_identifier FROM graphile_worker.jobs WHERE key = ${key}`;
  return rows[0] ?? null;
}

/** A tenant with a signed-in admin, and a member holding one of everything: department, app, policy, role, group. */
export async function lifecycleScene() {
  const tenant = await createTenant();
  const { member: admin } = await createSignedInMember(tenant.id, { role: "admin" });
  const actor = { tenantId: tenant.id, memberId: admin.id, sysAdmin: admin.sysAdmin };
  const department = await db().department.create({ data: { tenantId: tenant.id, name: "Engineering" } });
  const items = {
    application: await createCatalogItem(db(), actor, { kind: "application", name: "Payroll" }),
    policy: await createCatalogItem(db(), actor, { kind: "policy", name: "Read tickets", permission: "tickets:read" }),
    role: await createCatalogItem(db(), actor, { kind: "role", name: "Support" }),
    group: await createCatalogItem(db(), actor, { kind: "group", name: "London" }),
  };
  const equip = async (memberId: bigint) => {
    await db().departmentMember.create({ data: { departmentId: department.id, userId: memberId, isHead: true } });
    await db().user.update({ where: { id: memberId }, data: { mainDepartmentId: department.id } });
    for (const [kind, item] of Object.entries(items)) {
      await grantToMembers(db(), actor, { kind: kind as "role", itemId: item.id.toString(), memberIds: [memberId.toString()] });
    }
  };
  const newMember = async () => {
    const { member, sessionId } = await createSignedInMember(tenant.id);
    await equip(member.id);
    return { member, sessionId };
  };
  return { tenant, admin, actor, department, items, newMember, createMember: () => createMember(tenant.id) };
}

export async function relationCounts(memberId: bigint) {
  const [departments, applications, policies, roles, groups] = await Promise.all([
    db().departmentMember.count({ where: { userId: memberId } }),
    db().memberApplication.count({ where: { userId: memberId } }),
    db().memberPolicy.count({ where: { userId: memberId } }),
    db().memberRole.count({ where: { userId: memberId } }),
    db().memberGroup.count({ where: { userId: memberId } }),
  ]);
  return { departments, applications, policies, roles, groups };
}
