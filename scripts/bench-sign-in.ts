import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { db } from "@/server/db/client";
import { detectAbnormalLogin } from "@/server/auth/abnormal-login";
import { commonPasswordCount, isCommonPassword } from "@/server/auth/common-passwords";
import { addressBucket } from "@/server/auth/address-bucket";
import { activeLockoutUntil } from "@/server/auth/lockout";
import { accountLimitReachedAtSql, addressLimitReachedAtSql } from "@/server/auth/rate-limits";
import { DEFAULT_SECURITY_POLICY } from "@/server/auth/security-policy-schemas";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";

// Sign-in security's costs: the common-password list (load time, heap it
// keeps, one lookup), and the history queries every sign-in runs before and
// after its one argon2id verification, on a login history of ATTEMPTS rows
// (one member with a busy history among them).

const ATTEMPTS = 1_000_000;

v8.setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

function p50(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} ms · p95 ${sorted[Math.floor(sorted.length * 0.95)]!.toFixed(2)} ms`;
}

async function sample(count: number, work: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  return samples;
}

export async function benchSignIn(tenantId: bigint, password: string): Promise<void> {
  console.log("\nSign-in security:");
  collectGarbage();
  const heapBefore = v8.getHeapStatistics().used_heap_size;
  const loadStart = performance.now();
  const count = commonPasswordCount();
  const loadMs = performance.now() - loadStart;
  collectGarbage();
  const heapMb = (v8.getHeapStatistics().used_heap_size - heapBefore) / 1e6;
  console.log(`  common-password list: ${count.toLocaleString("en")} entries, loaded in ${loadMs.toFixed(0)} ms, ${heapMb.toFixed(1)} MB of heap`);
  const lookupStart = performance.now();
  for (let index = 0; index < 100_000; index += 1) isCommonPassword(`candidate passphrase ${index}`);
  console.log(`  one lookup: ${((performance.now() - lookupStart) / 100).toFixed(2)} µs`);

  const [busy] = await db().$queryRaw<{ id: bigint; username: string }[]>`SELECT id, username::text FROM users WHERE tenant_id = ${tenantId} ORDER BY id LIMIT 1`;
  const [{ last } = { last: busy!.id }] = await db().$queryRaw<{ last: bigint }[]>`SELECT max(id) AS last FROM users WHERE tenant_id = ${tenantId}`;
  const others = Number(last - busy!.id);
  const start = performance.now();
  await db().$executeRaw`
    INSERT INTO login_attempts (tenant_id, user_id, login, ip_address, address_bucket, network, device, result, reason, created_at)
    SELECT ${tenantId}, CASE WHEN n % 100 = 0 THEN ${busy!.id} ELSE ${busy!.id} + 1 + n % ${others}::int END, 'member' || n,
           '10.' || (n % 250) || '.' || (n / 250 % 250) || '.1', '10.' || (n % 250) || '.' || (n / 250 % 250) || '.1', '10.' || (n % 250) || '.0.0/24', 'Chrome on Linux',
           CASE WHEN n % 7 = 0 THEN 'failure' ELSE 'success' END, 'bench', now() - make_interval(secs => n * 30)
    FROM generate_series(1, ${ATTEMPTS}) AS n`;
  console.log(`  ${ATTEMPTS.toLocaleString("en")} login attempts inserted in ${((performance.now() - start) / 1000).toFixed(1)} s (the busy member has ${(ATTEMPTS / 100).toLocaleString("en")})`);
  await db().$executeRaw`ANALYZE login_attempts`;

  const now = new Date();
  const bucket = { key: { userId: busy!.id }, familiar: false };
  const client = { ipAddress: "10.1.2.1", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0" };
  // The fragments the attempt gate reads in one statement, timed one by one.
  const addressLimit = addressLimitReachedAtSql(addressBucket(client.ipAddress), now);
  const accountLimit = accountLimitReachedAtSql(bucket, DEFAULT_SECURITY_POLICY, now);
  console.log(`  address rate limit          ${p50(await sample(100, () => db().$queryRaw`SELECT ${addressLimit} AS at`))}`);
  console.log(`  account rate limit          ${p50(await sample(100, () => db().$queryRaw`SELECT ${accountLimit} AS at`))}`);
  console.log(`  running lockout            ${p50(await sample(100, () => activeLockoutUntil(db(), bucket, DEFAULT_SECURITY_POLICY, now)))}`);
  console.log(`  abnormal-login check        ${p50(await sample(100, () => detectAbnormalLogin(db(), busy!.id, client, now)))}`);
  const credentials = { organisation: "bench", login: busy!.username, password };
  console.log(`  whole sign-in (argon2id incl.) ${p50(await sample(30, () => signInWithPassword(db(), credentials, client)))}`);
}
