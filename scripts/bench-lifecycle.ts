import { performance } from "node:perf_hooks";
import { db } from "@/server/db/client";
import { checkSession } from "@/server/auth/sessions";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";

// Lifecycle figures for `npm run bench` (called from scripts/bench.ts on its
// seeded tenant): how fast a disabled member's session dies, how many
// single-member actions a second, and a bulk disable of 10,000 members.

const DISABLES = 200;
const SINGLE_ACTIONS = 400;
const BULK = 10_000;

function percentile(samples: number[], p: number): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(2);
}

/** Members of the tenant with a live session, none of them admins, skipping the first `skip`. */
async function membersWithLiveSessions(tenantId: bigint, count: number, skip: number) {
  return db().$queryRaw<{ user_id: bigint; session_id: string }[]>`
    SELECT DISTINCT ON (s.user_id) s.user_id, s.id::text AS session_id
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE u.tenant_id = ${tenantId} AND u.state = 'active' AND s.revoked_at IS NULL AND s.expires_at > now()
    ORDER BY s.user_id OFFSET ${skip} LIMIT ${count}`;
}

export async function benchLifecycle(tenantId: bigint): Promise<void> {
  console.log("\nLifecycle:");
  const admin = await db().user.update({ where: { id: (await db().user.findFirstOrThrow({ where: { tenantId }, orderBy: { id: "desc" } })).id }, data: { sysAdmin: 2 } });
  const actor = { tenantId, memberId: admin.id, sysAdmin: 2, ipAddress: "127.0.0.1", userAgent: "bench" };
  const app = await db().application.create({ data: { tenantId, name: "Bench app" } });
  await db().$executeRaw`
    INSERT INTO member_applications (user_id, application_id)
    SELECT s.user_id, ${app.id} FROM sessions s WHERE s.tenant_id = ${tenantId} AND s.revoked_at IS NULL AND s.expires_at > now()
    ON CONFLICT DO NOTHING`;

  const victims = await membersWithLiveSessions(tenantId, DISABLES, 0);
  const untilRejected: number[] = [];
  const actionTimes: number[] = [];
  for (const victim of victims) {
    const start = performance.now();
    await runLifecycleAction(db(), actor, { action: "disable", memberIds: [victim.user_id.toString()], reason: "bench" });
    const committed = performance.now();
    const check = await checkSession(db(), victim.session_id);
    if (check.live) throw new Error("a disabled member's session was still accepted");
    untilRejected.push(performance.now() - committed);
    actionTimes.push(committed - start);
  }
  console.log(`  disable → next request with that session rejected (${victims.length} disables):`);
  console.log(`    from commit to rejection   p50 ${percentile(untilRejected, 0.5)} ms · p99 ${percentile(untilRejected, 0.99)} ms`);
  console.log(`    the disable action itself  p50 ${percentile(actionTimes, 0.5)} ms · p99 ${percentile(actionTimes, 0.99)} ms (revokes apps, ends sessions, audit, receipt with proof, notice mail)`);
  const receipts = await db().lifecycleReceipt.aggregate({ where: { tenantId, action: "disable" }, _max: { zeroAccessMs: true }, _avg: { zeroAccessMs: true } });
  console.log(`    receipts' measured time to zero access: mean ${receipts._avg.zeroAccessMs?.toFixed(2)} ms, max ${receipts._max.zeroAccessMs?.toFixed(2)} ms`);

  const subjects = await membersWithLiveSessions(tenantId, SINGLE_ACTIONS / 2, DISABLES);
  const start = performance.now();
  for (const subject of subjects) {
    await runLifecycleAction(db(), actor, { action: "lock", memberIds: [subject.user_id.toString()], reason: "bench" });
    await runLifecycleAction(db(), actor, { action: "unlock", memberIds: [subject.user_id.toString()] });
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(`  single-member actions (lock, unlock; one connection): ${Math.round((subjects.length * 2) / seconds)} actions/s`);

  const bulk = await membersWithLiveSessions(tenantId, BULK, DISABLES + SINGLE_ACTIONS);
  const ids = bulk.map((row) => row.user_id.toString());
  const bulkStart = performance.now();
  const outcome = await runLifecycleAction(db(), actor, { action: "disable", memberIds: ids, reason: "bench bulk" });
  const bulkSeconds = (performance.now() - bulkStart) / 1000;
  const [left] = await db().$queryRaw<{ live: bigint }[]>`
    SELECT count(*) AS live FROM sessions WHERE user_id = ANY(${bulk.map((row) => row.user_id)}::bigint[]) AND revoked_at IS NULL AND expires_at > now()`;
  const sampled = await Promise.all(bulk.slice(0, 100).map((row) => checkSession(db(), row.session_id)));
  console.log(
    `  bulk disable of ${outcome.changed.length.toLocaleString("en")} members: ${bulkSeconds.toFixed(2)} s in one transaction; ` +
      `sessions still open afterwards: ${Number(left?.live ?? 0)}; 100 sampled sessions rejected: ${sampled.filter((check) => !check.live).length}/100`,
  );
}
