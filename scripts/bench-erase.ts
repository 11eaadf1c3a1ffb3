import { performance } from "node:perf_hooks";
import { db } from "@/server/db/client";
import { eraseMembers } from "@/server/lifecycle/hard-delete-members";

// Erasure figures for `npm run bench -- --erase-only`: erasing members of a tenant of BENCH_MEMBERS
// (default 1,000,000), each holding one application an admin granted and a SCIM identity that names a manager
// and the token that made it. Every foreign key to users (or api_tokens) whose column no index leads runs a
// sequential scan of its table once per erased member: the figures show whether any is left on this path.

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1_000_000);
const BATCH = 100;
const SINGLES = 10;

export async function benchErase(): Promise<void> {
  console.log(`\nErasure (tenant of ${MEMBERS.toLocaleString("en")} members, each with an application grant and a SCIM identity):`);
  const tenant = await db().tenant.create({ data: { slug: "bench-erase", name: "Bench erase" } });
  const t = tenant.id;
  await db().$executeRaw`
    INSERT INTO users (tenant_id, username, email, first_name, last_name, full_name, sys_admin)
    SELECT ${t}, 'erase' || n, 'erase' || n || '@bench.test', 'Ada', 'Surname' || n, 'Ada Surname' || n, CASE WHEN n = 1 THEN 2 ELSE 0 END
    FROM generate_series(1, ${MEMBERS}) AS n`;
  const admin = await db().user.findFirstOrThrow({ where: { tenantId: t, username: "erase1" } });
  const app = await db().application.create({ data: { tenantId: t, name: "Bench erase app" } });
  const token = await db().apiToken.create({
    data: { tenantId: t, name: "bench erase", scopes: ["scim"], tokenHash: `bench-erase-${Date.now()}`, hint: "bench", expiresAt: new Date(Date.now() + 86_400_000), createdBy: admin.id },
  });
  await db().$executeRaw`
    INSERT INTO member_applications (user_id, application_id, granted_by) SELECT id, ${app.id}, ${admin.id} FROM users WHERE tenant_id = ${t}`;
  await db().$executeRaw`
    INSERT INTO scim_identities (user_id, tenant_id, user_name, api_token_id, manager_id)
    SELECT id, ${t}, username, ${token.id}, ${admin.id} FROM users WHERE tenant_id = ${t}`;
  await db().$executeRawUnsafe("VACUUM ANALYZE");

  const actor = { tenantId: t, memberId: admin.id, sysAdmin: 2, ipAddress: "127.0.0.1", userAgent: "bench" };
  const victims = (await db().user.findMany({ where: { tenantId: t, id: { not: admin.id } }, orderBy: { id: "desc" }, take: BATCH + SINGLES, select: { id: true } })).map((row) => row.id);
  const batchStart = performance.now();
  const erased = await db().$transaction((tx) => eraseMembers(tx, actor, victims.slice(0, BATCH)), { timeout: 3_600_000 });
  const batchMs = performance.now() - batchStart;
  console.log(`  erase ${erased} members in one batch (as the scheduled hard delete does): ${(batchMs / 1000).toFixed(2)} s, ${(batchMs / erased).toFixed(1)} ms a member`);
  const singles: number[] = [];
  for (const id of victims.slice(BATCH)) {
    const start = performance.now();
    await db().$transaction((tx) => eraseMembers(tx, actor, [id]), { timeout: 3_600_000 });
    singles.push(performance.now() - start);
  }
  singles.sort((a, b) => a - b);
  console.log(`  erase one member (an admin's hard delete), ${SINGLES} times: median ${singles[SINGLES / 2]!.toFixed(1)} ms, max ${singles.at(-1)!.toFixed(1)} ms`);
}
