import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { db } from "@/server/db/client";
import { handleScimRequest } from "@/server/scim/handle-scim-request";
import { listScimUsers } from "@/server/scim/scim-list-users";
import type { TScimCaller } from "@/server/scim/scim-actor";
import { newRandomSecret, secretHash, secretHint } from "@/server/shared/random-secret";

// SCIM figures for `npm run bench` (issue 16): user creation per second,
// sequential, through the real request handler (authentication, routing,
// validation, transaction, request log); `filter=userName eq` p50/p95 at
// BENCH_SCIM_MEMBERS (default 1,000,000, inserted set-based); and a full
// listing by pages of 1,000 with the process's RSS sampled on every page.
// The filter and the listing call the list service directly: a token's rate
// limit (200 requests, then 10/s) would otherwise be what is measured.

const MEMBERS = Number(process.env.BENCH_SCIM_MEMBERS ?? 1_000_000);
const CREATIONS = Math.min(1_000, Number(process.env.BENCH_SCIM_CREATIONS ?? 1_000));
const SAMPLES = 200;
const PAGE = 1_000;
const BASE_URL = "http://bench.invalid/scim/v2";
// A fresh token before its rate limit's burst (200) runs out: the bench measures Tenure, not the limiter.
const REQUESTS_PER_TOKEN = 150;

const percentile = (samples: number[], p: number) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * p))]!;
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** The JS heap still in use after a full collection: what a listing keeps, without the allocator's and V8's slack that RSS also counts. */
function retainedHeap(): number {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
  return process.memoryUsage().heapUsed;
}

async function newToken(tenantId: bigint) {
  const token = newRandomSecret("tnr_at_");
  const row = await db().apiToken.create({
    data: { tenantId, name: `bench ${Date.now()}-${Math.random()}`.slice(0, 100), scopes: ["scim"], tokenHash: secretHash(token), hint: secretHint(token), expiresAt: new Date(Date.now() + 86_400_000) },
  });
  return { token, id: row.id, name: row.name };
}

function createRequest(token: string, index: number): Request {
  const userName = `created.${index}@bench.test`;
  return new Request(`${BASE_URL}/Users`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json", "user-agent": "bench" },
    body: JSON.stringify({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName,
      name: { givenName: "Bench", familyName: `Created ${index}` },
      emails: [{ primary: true, type: "work", value: userName }],
      active: true,
    }),
  });
}

export async function benchScim(): Promise<void> {
  console.log(`\nSCIM (${MEMBERS.toLocaleString("en")} members, ${CREATIONS.toLocaleString("en")} sequential creations):`);
  const tenant = await db().tenant.create({ data: { slug: `bench-scim-${Date.now()}`, name: "Bench SCIM" } });

  let token = await newToken(tenant.id);
  const started = performance.now();
  for (let index = 0; index < CREATIONS; index += 1) {
    if (index > 0 && index % REQUESTS_PER_TOKEN === 0) token = await newToken(tenant.id);
    const response = await handleScimRequest(db(), createRequest(token.token, index), ["Users"], BASE_URL);
    if (response.status !== 201) throw new Error(`POST /Users answered ${response.status}: ${await response.text()}`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`  user creation through the request handler, sequential: ${(CREATIONS / seconds).toFixed(0)}/s (${CREATIONS} in ${seconds.toFixed(2)} s; goal ≥ 300/s)`);

  const inserting = performance.now();
  await db().$executeRaw`
    INSERT INTO users (tenant_id, username, email, first_name, last_name, full_name, source)
    SELECT ${tenant.id}, 'scim' || n, 'scim' || n || '@bench.test', 'Scim', 'Member ' || n, 'Scim Member ' || n, 'scim' FROM generate_series(1, ${MEMBERS}) AS n`;
  await db().$executeRaw`
    INSERT INTO scim_identities (user_id, tenant_id, api_token_id, user_name)
    SELECT id, tenant_id, ${token.id}, username || '@corp.bench.test' FROM users WHERE tenant_id = ${tenant.id} AND username LIKE 'scim%'`;
  await db().$executeRawUnsafe("ANALYZE users");
  await db().$executeRawUnsafe("ANALYZE scim_identities");
  console.log(`  insert ${MEMBERS.toLocaleString("en")} members with SCIM identities (set-based): ${((performance.now() - inserting) / 1000).toFixed(1)} s`);

  const caller: TScimCaller = {
    tokenId: token.id,
    tenantId: tenant.id,
    name: token.name,
    scopes: ["scim"],
    tenantNameOrder: tenant.nameOrder,
    actor: { tenantId: tenant.id, memberId: null, apiTokenId: token.id, ipAddress: "127.0.0.1", userAgent: "bench" },
    baseUrl: BASE_URL,
  };
  const timings: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample += 1) {
    const n = 1 + Math.floor(Math.random() * MEMBERS);
    const params = new URLSearchParams({ filter: `userName eq "scim${n}@corp.bench.test"` });
    const from = performance.now();
    const page = await listScimUsers(db(), caller, params);
    timings.push(performance.now() - from);
    if (page.totalResults !== 1) throw new Error(`filter found ${page.totalResults} members for scim${n}`);
  }
  console.log(`  filter=userName eq "…" at ${MEMBERS.toLocaleString("en")}: p50 ${percentile(timings, 0.5).toFixed(2)} ms · p95 ${percentile(timings, 0.95).toFixed(2)} ms (goal p95 ≤ 10 ms)`);

  const startHeap = retainedHeap();
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  // Flat memory: the peak after the first tenth of the pages (buffers, pools and JIT warmed up) should hold to the end.
  let warmRss = startRss;
  let listed = 0;
  const listing = performance.now();
  const pageTimes: number[] = [];
  for (let startIndex = 1; ; startIndex += PAGE) {
    const from = performance.now();
    const page = await listScimUsers(db(), caller, new URLSearchParams({ startIndex: String(startIndex), count: String(PAGE) }));
    pageTimes.push(performance.now() - from);
    listed += page.Resources.length;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (pageTimes.length === Math.ceil((MEMBERS + CREATIONS) / PAGE / 10)) warmRss = peakRss;
    if (page.Resources.length < PAGE) break;
  }
  const total = MEMBERS + CREATIONS;
  if (listed !== total) throw new Error(`the listing returned ${listed} members of ${total}`);
  console.log(
    `  full listing by pages of ${PAGE.toLocaleString("en")} (${listed.toLocaleString("en")} members): ${((performance.now() - listing) / 1000).toFixed(1)} s, ` +
      `page p50 ${percentile(pageTimes, 0.5).toFixed(1)} ms · p95 ${percentile(pageTimes, 0.95).toFixed(1)} ms · last ${pageTimes.at(-1)!.toFixed(1)} ms; ` +
      `RSS start ${megabytes(startRss)}, peak after the first tenth ${megabytes(warmRss)}, peak ${megabytes(peakRss)}, end ${megabytes(process.memoryUsage().rss)}; ` +
      `heap retained after a full collection: start ${megabytes(startHeap)}, end ${megabytes(retainedHeap())}`,
  );
}
