import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { db, disconnectDatabase } from "@/server/db/client";
import { startEmbeddedPostgres } from "@/server/db/embedded-postgres";
import { prepareDatabase } from "@/server/db/prepare-database";
import { exportToEnvironment } from "@/server/env";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { checkSession } from "@/server/auth/sessions";
import { deleteExpiredSessions } from "@/server/auth/delete-expired-sessions";
import { listMembers } from "@/server/members/list-members";

// `npm run bench`: figures for the hot paths at the scale we design for
// (one tenant of N members: `npm run bench -- N`, default 1,000,000), on a throw-away
// embedded PostgreSQL. It prints figures; it asserts nothing.

const MEMBERS = Number(process.argv[2] ?? 1_000_000);
const SESSIONS = Math.min(MEMBERS, 200_000);
const SAMPLES = 2_000;

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(3);
  return `p50 ${at(0.5)} ms · p95 ${at(0.95)} ms · p99 ${at(0.99)} ms`;
}

async function timeEach(count: number, work: (index: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const start = performance.now();
    await work(index);
    samples.push(performance.now() - start);
  }
  return samples;
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  console.log(`${label}: ${((performance.now() - start) / 1000).toFixed(2)} s`);
  return result;
}

const dir = await mkdtemp(path.join(os.tmpdir(), "tenure-bench-"));
const cluster = await startEmbeddedPostgres({ dataDir: dir, ephemeral: true });
try {
  exportToEnvironment({ DATABASE_URL: cluster.connectionString, NEXTAUTH_SECRET: "bench-only-secret-not-used-for-anything-real" });
  await prepareDatabase(cluster.connectionString);
  const tenant = await db().tenant.create({ data: { slug: "bench", name: "Bench" } });
  const hash = await hashPassword("bench password that is long");

  await timed(`insert ${MEMBERS.toLocaleString("en")} members (set-based)`, () =>
    db().$executeRaw`
      INSERT INTO users (tenant_id, username, email, first_name, last_name, full_name, mobile, password_hash)
      SELECT ${tenant.id}, 'member' || n, 'member' || n || '@bench.test', 'Member', n::text, 'Member ' || n, '+1555' || lpad(n::text, 8, '0'), ${hash}
      FROM generate_series(1, ${MEMBERS}) AS n`,
  );
  await timed(`insert ${SESSIONS.toLocaleString("en")} sessions (half expired)`, () =>
    db().$executeRaw`
      INSERT INTO sessions (tenant_id, user_id, expires_at, last_seen_at)
      SELECT ${tenant.id}, id, CASE WHEN id % 2 = 0 THEN now() + interval '1 hour' ELSE now() - interval '1 hour' END, now()
      FROM users WHERE tenant_id = ${tenant.id} ORDER BY id LIMIT ${SESSIONS}`,
  );
  await db().$executeRaw`ANALYZE`;

  const liveIds = (await db().$queryRaw<{ id: string }[]>`
    SELECT id::text FROM sessions WHERE expires_at > now() ORDER BY random() LIMIT ${SAMPLES}`).map((row) => row.id);
  console.log(`session check (every request), ${SAMPLES} random live sessions: ${percentiles(await timeEach(liveIds.length, (i) => checkSession(db(), liveIds[i])))}`);

  const ids = (await db().$queryRaw<{ id: bigint }[]>`SELECT id FROM users WHERE tenant_id = ${tenant.id} ORDER BY random() LIMIT 500`).map((row) => row.id.toString());
  console.log(`member list page (50, keyset) at random depths: ${percentiles(await timeEach(ids.length, (i) => listMembers(db(), tenant.id, { limit: 50, cursor: ids[i] })))}`);

  const deleted = await timed("expired-session sweep", () => deleteExpiredSessions(db()));
  console.log(`  deleted ${deleted.toLocaleString("en")} sessions`);

  const verifySamples = await timeEach(50, () => verifyPassword(hash, "bench password that is long"));
  const perVerify = verifySamples.reduce((sum, value) => sum + value, 0) / verifySamples.length;
  console.log(`argon2id verify (m=19 MiB, t=2, p=1): ${perVerify.toFixed(1)} ms each, ~${Math.round(1000 / perVerify)} sign-ins/s per core`);
} finally {
  await disconnectDatabase();
  await cluster.stop();
  await rm(dir, { recursive: true, force: true });
}
