import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import * as oidc from "openid-client";
import { createSession } from "@/server/auth/sessions";
import { db } from "@/server/db/client";
import { exportToEnvironment } from "@/server/env";
import { NO_TRUSTED_PROXIES } from "@/server/http/trusted-proxies";
import { createWebServer, listen } from "@/server/http/web-server";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { MAX_BULK_MEMBERS } from "@/server/lifecycle/schemas";
import { hashClientSecret, newClientSecret, clientSecretHint } from "@/server/oidc/client-secret-hash";
import { issuerUrl } from "@/server/oidc/issuer";
import { withOpenIdProvider } from "@/server/oidc/mount";
import { Browser } from "@/tests/support/browser";
import { startRelyingParty, type TRelyingParty } from "@/tests/support/relying-party";
import { percentiles } from "./support/bench-timing";
import { startBenchWorker, type TBenchWorker } from "./support/bench-worker";

// OpenID provider figures for `npm run bench` (issue 14, "Speed"): the token
// endpoint (code exchange, refresh with rotation) through real HTTP against
// the provider mounted in Tenure's own server; disable → every relying
// party's back-channel logout received, for a member signed in to 5 sample
// applications (openid-client RPs that verify the token), with the worker
// running (its own process); and a bulk disable of BENCH_OIDC_BULK members (default 10,000)
// with sessions at 5 applications: time until every delivery completed.

const EXCHANGES = Number(process.env.BENCH_OIDC_EXCHANGES ?? 500);
const LOGOUT_SAMPLES = Number(process.env.BENCH_OIDC_SAMPLES ?? 50);
const BULK = Number(process.env.BENCH_OIDC_BULK ?? 10_000);
const APPLICATIONS = 5;
const CONCURRENCY = 10;

type TClient = { id: bigint; clientId: string; clientSecret: string };

async function createClient(tenantId: bigint, name: string, uris: { redirectUri: string; backchannelLogoutUri: string | null }): Promise<TClient> {
  const clientId = `bench_${name.toLowerCase().replaceAll(" ", "_")}_${Date.now()}`;
  const clientSecret = newClientSecret();
  const application = await db().application.create({
    data: { tenantId, name, oidcClientId: clientId, redirectUris: [uris.redirectUri], backchannelLogoutUri: uris.backchannelLogoutUri, claimSets: ["profile", "email"], oidcUpdatedAt: new Date() },
  });
  await db().applicationClientSecret.create({ data: { tenantId, applicationId: application.id, secretHash: hashClientSecret(clientSecret), hint: clientSecretHint(clientSecret) } });
  return { id: application.id, clientId, clientSecret };
}

async function createMember(tenantId: bigint, username: string) {
  return db().user.create({ data: { tenantId, username, email: `${username}@bench.test`, firstName: "Bench", lastName: username, fullName: `Bench ${username}` } });
}

/** Runs `work` over `count` items, `concurrency` at a time; each item's latency and the whole run's wall time. */
async function concurrently(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<{ samples: number[]; seconds: number }> {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let index = next++; index < count; index = next++) {
        const begin = performance.now();
        await work(index);
        samples.push(performance.now() - begin);
      }
    }),
  );
  return { samples, seconds: (performance.now() - started) / 1000 };
}

async function tokenRequest(issuer: string, client: TClient, body: Record<string, string>): Promise<Record<string, string>> {
  const response = await fetch(`${issuer}/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString("base64")}`,
    },
    body: new URLSearchParams(body),
  });
  const json = (await response.json()) as Record<string, string>;
  if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

/** Code exchange and refresh throughput, over real HTTP. */
async function benchTokenEndpoint(tenureUrl: string, tenantId: bigint, issuer: string): Promise<void> {
  const redirectUri = "http://127.0.0.1:9/callback";
  const client = await createClient(tenantId, "Token bench", { redirectUri, backchannelLogoutUri: null });
  const member = await createMember(tenantId, `token-bench-${Date.now()}`);
  await db().memberApplication.create({ data: { userId: member.id, applicationId: client.id } });
  const browser = await Browser.signedIn(tenureUrl, await createSession(db(), { tenantId, userId: member.id, ipAddress: "127.0.0.1", userAgent: "bench" }));
  const config = await oidc.discovery(new URL(issuer), client.clientId, undefined, oidc.ClientSecretBasic(client.clientSecret), { execute: [oidc.allowInsecureRequests] });

  // Authorisation codes (with PKCE) made beforehand: the measured part is the token endpoint alone.
  const codes: { code: string; verifier: string }[] = [];
  for (let index = 0; index < EXCHANGES; index += 1) {
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: "openid profile email",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state: oidc.randomState(),
    });
    const result = await browser.follow(url.href, {}, (next) => next.startsWith(redirectUri));
    const code = new URL(result.url).searchParams.get("code");
    if (!code) throw new Error(`no authorisation code: ${JSON.stringify(result.hops)}`);
    codes.push({ code, verifier });
  }
  const refreshTokens: string[] = [];
  const exchange = await concurrently(codes.length, CONCURRENCY, async (index) => {
    const tokens = await tokenRequest(issuer, client, { grant_type: "authorization_code", code: codes[index]!.code, code_verifier: codes[index]!.verifier, redirect_uri: redirectUri });
    refreshTokens.push(tokens.refresh_token!);
  });
  console.log(`  code exchange, ${codes.length} at concurrency ${CONCURRENCY}: ${Math.round(codes.length / exchange.seconds)}/s, ${percentiles(exchange.samples)}`);
  const refresh = await concurrently(refreshTokens.length, CONCURRENCY, async (index) => {
    await tokenRequest(issuer, client, { grant_type: "refresh_token", refresh_token: refreshTokens[index]! });
  });
  console.log(`  refresh (with rotation), ${refreshTokens.length} at concurrency ${CONCURRENCY}: ${Math.round(refreshTokens.length / refresh.seconds)}/s, ${percentiles(refresh.samples)}`);
}

/** One member signed in to 5 sample applications is disabled: time until the last application received its verified logout token. */
async function benchLogoutLatency(tenureUrl: string, tenantId: bigint, issuer: string, actor: { tenantId: bigint; memberId: bigint; sysAdmin: number }): Promise<void> {
  const parties: TRelyingParty[] = [];
  const clients: TClient[] = [];
  for (let index = 0; index < APPLICATIONS; index += 1) {
    const client = await createClient(tenantId, `Sample ${index}`, { redirectUri: "http://127.0.0.1:9/placeholder", backchannelLogoutUri: null });
    const party = await startRelyingParty({ issuer, clientId: client.clientId, clientSecret: client.clientSecret });
    await db().application.update({ where: { id: client.id }, data: { redirectUris: [party.redirectUri], backchannelLogoutUri: party.backchannelLogoutUri } });
    parties.push(party);
    clients.push(client);
  }
  const samples: number[] = [];
  const commits: number[] = [];
  try {
    for (let sample = 0; sample < LOGOUT_SAMPLES; sample += 1) {
      const member = await createMember(tenantId, `leaver-${sample}-${Date.now()}`);
      await db().memberApplication.createMany({ data: clients.map((client) => ({ userId: member.id, applicationId: client.id })) });
      const browser = await Browser.signedIn(tenureUrl, await createSession(db(), { tenantId, userId: member.id, ipAddress: "127.0.0.1", userAgent: "bench" }));
      for (const party of parties) {
        const result = await browser.follow(`${party.url}/login`);
        if (!result.body.startsWith("Signed in")) throw new Error(`sign-in to a sample application failed: ${JSON.stringify(result.hops)}`);
      }
      const subject = member.id.toString();
      const started = Date.now();
      await runLifecycleAction(db(), actor, { action: "disable", memberIds: [subject], reason: "bench" });
      commits.push(Date.now() - started);
      const deadline = started + 30_000;
      for (;;) {
        const received = parties.map((party) => party.logoutTokens.find((token) => token.valid && token.sub === subject));
        if (received.every(Boolean)) {
          samples.push(Math.max(...received.map((token) => token!.receivedAt.getTime())) - started);
          if (process.env.BENCH_OIDC_DEBUG && sample < 2) console.log(`    sample ${sample}: received at ${received.map((token) => token!.receivedAt.getTime() - started).join(" ")}`);
          break;
        }
        if (Date.now() > deadline) throw new Error(`back-channel logouts not all received within 30 s (sample ${sample})`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
  } finally {
    await Promise.all(parties.map((party) => party.stop()));
  }
  const at = (values: number[], fraction: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
  };
  console.log(`  disable → all ${APPLICATIONS} applications' back-channel logouts received (verified), ${samples.length} samples: p50 ${at(samples, 0.5)} ms, p99 ${at(samples, 0.99)} ms, max ${Math.max(...samples)} ms`);
  console.log(`    of which the disable itself (committed and proved): p50 ${at(commits, 0.5)} ms, p99 ${at(commits, 0.99)} ms`);
  if (process.env.BENCH_OIDC_DEBUG) console.log(`    samples in order: ${samples.join(" ")}; commits: ${commits.join(" ")}`);
}

/** BULK members, each with a provider session at 5 applications (rows as the provider stores them), disabled at once: time until every logout is delivered. */
async function benchBulkDisable(tenantId: bigint, actor: { tenantId: bigint; memberId: bigint; sysAdmin: number }, worker: TBenchWorker): Promise<void> {
  let received = 0;
  const receivers: Server[] = [];
  const clients: TClient[] = [];
  for (let index = 0; index < APPLICATIONS; index += 1) {
    const receiver = createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        received += 1;
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receivers.push(receiver);
    clients.push(await createClient(tenantId, `Bulk ${index}`, { redirectUri: "http://127.0.0.1:9/cb", backchannelLogoutUri: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/logout` }));
  }
  const prefix = `bulk-${Date.now()}-`;
  await db().$executeRaw`
    INSERT INTO users (tenant_id, username, email, first_name, last_name, full_name)
    SELECT ${tenantId}, ${prefix} || n, ${prefix} || n || '@bench.test', 'Bulk', 'Member ' || n, 'Bulk Member ' || n FROM generate_series(1, ${BULK}) AS n`;
  const members = await db().user.findMany({ where: { tenantId, username: { startsWith: prefix } }, select: { id: true }, orderBy: { id: "asc" } });
  const clientIds = clients.map((client) => client.clientId);
  // One provider session per member naming the 5 clients (sid, grant), and a grant, an access token and a refresh token at each.
  await db().$executeRaw`
    WITH m AS (SELECT id FROM users WHERE tenant_id = ${tenantId} AND username LIKE ${`${prefix}%`}),
    pairs AS (SELECT m.id AS user_id, c.client_id, c.n FROM m CROSS JOIN unnest(${clientIds}::text[]) WITH ORDINALITY AS c(client_id, n))
    INSERT INTO oidc_payloads (tenant_id, model, id, payload, grant_id, user_id, client_id, expires_at)
    SELECT ${tenantId}, x.model, x.model || '-' || p.user_id || '-' || p.n, jsonb_build_object('kind', x.model, 'accountId', p.user_id::text, 'clientId', p.client_id, 'grantId', 'g-' || p.user_id || '-' || p.n),
      'g-' || p.user_id || '-' || p.n, p.user_id, p.client_id, now() + interval '1 hour'
    FROM pairs p CROSS JOIN (VALUES ('Grant'), ('AccessToken'), ('RefreshToken')) AS x(model)`;
  await db().$executeRaw`
    INSERT INTO oidc_payloads (tenant_id, model, id, payload, uid, user_id, expires_at)
    SELECT ${tenantId}, 'Session', 'session-' || u.id,
      jsonb_build_object('kind', 'Session', 'accountId', u.id::text, 'authorizations',
        (SELECT jsonb_object_agg(c.client_id, jsonb_build_object('sid', 'sid-' || u.id || '-' || c.n, 'grantId', 'g-' || u.id || '-' || c.n))
         FROM unnest(${clientIds}::text[]) WITH ORDINALITY AS c(client_id, n))),
      'uid-' || u.id, u.id, now() + interval '1 hour'
    FROM users u WHERE u.tenant_id = ${tenantId} AND u.username LIKE ${`${prefix}%`}`;
  // As the other benches do: statistics of the freshly inserted members and rows (autovacuum would gather them within a minute).
  // Without them the disable's access recording plans for empty tables: 67 s instead of seconds for 10,000 members.
  await db().$executeRawUnsafe("VACUUM ANALYZE");

  const workerCpuBefore = await worker.cpuSeconds();
  const benchCpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let from = 0; from < members.length; from += MAX_BULK_MEMBERS) {
    await runLifecycleAction(db(), actor, { action: "disable", memberIds: members.slice(from, from + MAX_BULK_MEMBERS).map((member) => member.id.toString()), reason: "bench" });
  }
  const committed = performance.now();
  const ids = members.map((member) => member.id);
  // The worker is already delivering: every line that needs a delivery counts, whatever its status by now.
  const expected = await db().applicationLogoutDelivery.count({ where: { userId: { in: ids }, status: { not: "not_required" } } });
  console.log(`  bulk disable of ${BULK.toLocaleString("en")} members signed in to ${APPLICATIONS} applications: committed in ${((committed - started) / 1000).toFixed(2)} s, ${expected.toLocaleString("en")} logouts queued`);
  try {
    for (;;) {
      const [row] = await db().$queryRaw<{ done: number; failed: number }[]>`
        SELECT (count(*) FILTER (WHERE status = 'delivered'))::int AS done, (count(*) FILTER (WHERE status = 'failed'))::int AS failed
        FROM application_logout_deliveries WHERE tenant_id = ${tenantId} AND user_id = ANY(${ids}::bigint[])`;
      if (row!.done + row!.failed >= expected) {
        if (row!.failed > 0) console.log(`    ${row!.failed} deliveries failed`);
        break;
      }
      if (performance.now() - started > 600_000) throw new Error(`only ${row!.done} of ${expected} logouts delivered in 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await Promise.all(receivers.map((receiver) => new Promise<void>((resolve) => receiver.close(() => resolve()))));
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`  every logout delivered (${received.toLocaleString("en")} received) ${seconds.toFixed(1)} s after the disable began: ${Math.round(expected / seconds).toLocaleString("en")} deliveries/s`);
  // CPU time says what a loaded machine's wall clock cannot: the worker's (signing, posting, its queries' client side), and this process's (the disable's client side, the receivers).
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const perThousand = (cpuSeconds: number) => ((cpuSeconds / expected) * 1000).toFixed(2);
  console.log(`    CPU per 1,000 deliveries: worker ${perThousand((await worker.cpuSeconds()) - workerCpuBefore)} s, bench process (disable, receivers) ${perThousand((benchCpu.user + benchCpu.system) / 1e6)} s`);
}

export async function benchOidc(): Promise<void> {
  console.log("\nOpenID provider (token endpoint over HTTP; back-channel logout with the worker in its own process):");
  const server = createWebServer(withOpenIdProvider((_request, response) => void response.writeHead(404).end()), NO_TRUSTED_PROXIES);
  await listen(server, 0, "127.0.0.1");
  const tenureUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The issuer is <NEXTAUTH_URL>/oidc/<slug>: here, this server.
  exportToEnvironment({ NEXTAUTH_URL: tenureUrl });
  const tenant = await db().tenant.create({ data: { slug: `bench-oidc-${Date.now()}`, name: "Bench OpenID" } });
  const owner = await db().user.create({ data: { tenantId: tenant.id, username: "bench.oidc.owner", email: "oidc-owner@bench.test", firstName: "Bench", lastName: "Owner", fullName: "Bench Owner", sysAdmin: 2 } });
  const actor = { tenantId: tenant.id, memberId: owner.id, sysAdmin: 2 };
  const issuer = issuerUrl(tenant.slug);
  // The worker in a process of its own, as in production: its signing and POSTs do not share this process's event loop.
  const worker = await startBenchWorker();
  try {
    await benchTokenEndpoint(tenureUrl, tenant.id, issuer);
    await benchLogoutLatency(tenureUrl, tenant.id, issuer, actor);
    await benchBulkDisable(tenant.id, actor, worker);
  } finally {
    await worker.stop();
    await new Promise((resolve) => server.close(resolve));
  }
}
