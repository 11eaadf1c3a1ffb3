import { performance } from "node:perf_hooks";
import { db } from "@/server/db/client";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { sealScimToken } from "@/server/provisioning/scim-endpoint";
import { runReconciliation, RECONCILE_PAGE_SIZE } from "@/server/provisioning/reconcile-accounts";
import { CORE_USER_SCHEMA } from "@/server/provisioning/scim-user";
import { DEFAULT_DELIVERY_CONCURRENCY } from "@/workers/start-worker";
import { PEER_RATE_LIMIT } from "@/server/provisioning/sync-member-account";
import { databaseCpuSeconds, startBenchWorker } from "./support/bench-worker";
import { startScimPeer, type TScimPeer } from "../tests/support/scim-peer";
import { printStatementProfile, resetStatementProfile } from "./support/statement-profile";

// Outbound SCIM figures for `npm run bench` (issue 15): BENCH_PROVISIONING_MEMBERS
// (default 10,000) members holding one application provisioned at a local
// scimmy peer are disabled in one bulk action through the lifecycle service;
// the real worker (graphile-worker, the production concurrency unless
// BENCH_PROVISIONING_CONCURRENCY says otherwise, the application's default rate
// limit unless BENCH_PROVISIONING_RATE_LIMIT sets its own) then deactivates every account, timed until the peer has
// accepted the last one. Then a dry-run reconciliation reads
// BENCH_RECONCILE_ACCOUNTS (default 100,000) accounts from a second peer, page
// by page, with the process's memory sampled (start, peak, end). The peer
// runs in this process, so its store counts in the figure; it is allocated
// before the start is sampled.

const MEMBERS = Number(process.env.BENCH_PROVISIONING_MEMBERS ?? 10_000);
const ACCOUNTS = Number(process.env.BENCH_RECONCILE_ACCOUNTS ?? 100_000);
/** The worker's production delivery concurrency (WORKER_DELIVERY_CONCURRENCY, default 25) unless told otherwise. */
const CONCURRENCY = Number(process.env.BENCH_PROVISIONING_CONCURRENCY ?? process.env.WORKER_DELIVERY_CONCURRENCY ?? DEFAULT_DELIVERY_CONCURRENCY);
/** The application's "Requests per second at most": the default unless BENCH_PROVISIONING_RATE_LIMIT says otherwise. */
const RATE_LIMIT = Number(process.env.BENCH_PROVISIONING_RATE_LIMIT ?? PEER_RATE_LIMIT.capacity);
const MiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** An application whose SCIM connection points at the peer, approved and on (as after a first dry run). */
async function connectedApplication(tenantId: bigint, name: string, peer: TScimPeer) {
  const application = await db().application.create({ data: { tenantId, name } });
  await db().applicationScimSettings.create({
    data: { applicationId: application.id, tenantId, baseUrl: peer.url, sealedToken: sealScimToken(application.id, peer.token), enabled: true, firstReconciliationApprovedAt: new Date() },
  });
  return application;
}

/** The account the peer keeps for a member, as a create through SCIM would have left it. */
const peerAccount = (id: string, userName: string, externalId: string | null, active: boolean) => ({
  schemas: [CORE_USER_SCHEMA],
  id,
  userName,
  ...(externalId ? { externalId } : {}),
  active,
  meta: { created: new Date().toISOString(), lastModified: new Date().toISOString() },
});

export async function benchProvisioning(): Promise<void> {
  console.log(`\nOutbound SCIM (${MEMBERS.toLocaleString("en")} provisioned members, worker concurrency ${CONCURRENCY}; reconciliation of ${ACCOUNTS.toLocaleString("en")} accounts):`);
  const tenant = await db().tenant.create({ data: { slug: `bench-scim-${Date.now()}`, name: "Bench SCIM" } });
  const owner = await db().user.create({ data: { tenantId: tenant.id, username: "bench.owner", email: "owner@bench.test", firstName: "Bench", lastName: "Owner", fullName: "Bench Owner", sysAdmin: 2 } });
  await db().$executeRaw`
    INSERT INTO users (tenant_id, username, email, first_name, last_name, full_name)
    SELECT ${tenant.id}, 'scim' || n, 'scim' || n || '@bench.test', 'Scim', 'Member ' || n, 'Scim Member ' || n FROM generate_series(1, ${MEMBERS}) AS n`;
  const members = await db().user.findMany({ where: { tenantId: tenant.id, sysAdmin: 0 }, select: { id: true, username: true }, orderBy: { id: "asc" } });

  const peer = await startScimPeer();
  const reconcilePeer = await startScimPeer();
  try {
    // The grant comes first (no job: nothing is connected yet); the accounts are then seeded as the first
    // connection's backfill would have left them, so the figure is the disable, not 10,000 creates.
    const application = await db().application.create({ data: { tenantId: tenant.id, name: "Bench wiki" } });
    await db().$executeRaw`INSERT INTO member_applications (user_id, application_id) SELECT id, ${application.id} FROM users WHERE tenant_id = ${tenant.id} AND sys_admin = 0`;
    await db().applicationScimSettings.create({
      data: {
        applicationId: application.id, tenantId: tenant.id, baseUrl: peer.url, sealedToken: sealScimToken(application.id, peer.token), enabled: true,
        firstReconciliationApprovedAt: new Date(), rateLimitPerSecond: RATE_LIMIT,
      },
    });
    for (const member of members) peer.accounts.set(`acct-${member.id}`, peerAccount(`acct-${member.id}`, member.username, member.id.toString(), true));
    await db().$executeRaw`
      INSERT INTO member_provisioning (application_id, user_id, tenant_id, status, remote_id)
      SELECT ${application.id}, id, ${tenant.id}, 'provisioned', 'acct-' || id FROM users WHERE tenant_id = ${tenant.id} AND sys_admin = 0`;
    await db().$executeRawUnsafe("VACUUM ANALYZE");

    // The worker runs in a process of its own, as `npm run worker` does (its flags too), so the peer (in this
    // process) and the worker do not share one event loop: in production the application answers from another
    // machine. Started before the disable, so its start-up is not in the figure.
    const deliveryConcurrencyBefore = process.env.WORKER_DELIVERY_CONCURRENCY;
    process.env.WORKER_DELIVERY_CONCURRENCY = String(CONCURRENCY);
    const runner = await startBenchWorker();
    // Only this worker runs at the bench's concurrency; later sections' workers get what they would have.
    if (deliveryConcurrencyBefore === undefined) delete process.env.WORKER_DELIVERY_CONCURRENCY;
    else process.env.WORKER_DELIVERY_CONCURRENCY = deliveryConcurrencyBefore;
    const workerCpuBefore = await runner.cpuSeconds();
    const databaseCpuBefore = await databaseCpuSeconds();
    const benchCpuBefore = process.cpuUsage();
    const actor = { tenantId: tenant.id, memberId: owner.id, sysAdmin: 2 };
    const started = performance.now();
    await runLifecycleAction(db(), actor, { action: "disable", memberIds: members.map((member) => member.id.toString()), reason: "bench" });
    const committed = performance.now();
    const [queued] = await db().$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM graphile_worker._private_jobs WHERE key LIKE ${`scim:${application.id}:%`}`;
    console.log(`  bulk disable of ${MEMBERS.toLocaleString("en")} members, ${queued?.count.toLocaleString("en")} SCIM jobs still waiting right after its commit (the worker is already running): ${((committed - started) / 1000).toFixed(2)} s`);

    const statements = process.env.BENCH_PG_STATEMENTS === "1";
    if (statements) {
      await resetStatementProfile();
    }
    const active = () => [...peer.accounts.values()].filter((account) => account.active !== false).length;
    let seconds: number;
    let workerCpuSeconds: number;
    let benchCpuSeconds: number;
    let databaseCpu: number;
    try {
      for (;;) {
        if (active() === 0) break;
        if (performance.now() - committed > 600_000) throw new Error(`${active()} of ${MEMBERS} accounts still active after 10 minutes`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      seconds = (performance.now() - committed) / 1000;
      workerCpuSeconds = (await runner.cpuSeconds()) - workerCpuBefore;
      const benchCpu = process.cpuUsage(benchCpuBefore);
      benchCpuSeconds = (benchCpu.user + benchCpu.system) / 1e6;
      databaseCpu = (await databaseCpuSeconds()) - databaseCpuBefore;
    } finally {
      await runner.stop();
    }
    const closed = await db().memberProvisioning.count({ where: { applicationId: application.id, status: "deactivated" } });
    const patches = peer.requests.filter((request) => request.method === "PATCH" && request.status < 300).length;
    const limited = peer.requests.filter((request) => request.status === 429).length;
    const limitNote =
      RATE_LIMIT === PEER_RATE_LIMIT.capacity ? "the default, not raised for the bench" : "BENCH_PROVISIONING_RATE_LIMIT, not the default";
    console.log(
      `  every deactivation accepted by the peer ${seconds.toFixed(1)} s after the commit (${Math.round(MEMBERS / seconds).toLocaleString("en")}/s; ${patches.toLocaleString("en")} PATCHes, ${limited} answered 429; ${closed.toLocaleString("en")} states deactivated)`,
    );
    console.log(
      `    worker process (its own, as \`npm run worker\`): ${workerCpuSeconds.toFixed(1)} CPU s; the application's limit ${RATE_LIMIT}/s (${limitNote}: ${MEMBERS.toLocaleString("en")} take at least ${Math.max(0, Math.ceil((MEMBERS - RATE_LIMIT) / RATE_LIMIT))} s); this process (the peer) ${benchCpuSeconds.toFixed(1)} CPU s; the database ${databaseCpu.toFixed(1)} CPU s (the disable's commit included)`,
    );

    // Where the database's time went during the deactivations.
    if (statements) await printStatementProfile("    ", 15);

    // Reconciliation: the accounts of the bench members (closed) and the rest made outside Tenure.
    const reconciled = await connectedApplication(tenant.id, "Bench CRM", reconcilePeer);
    for (let index = 0; index < ACCOUNTS; index += 1) {
      const member = members[index];
      const id = `crm-${index}`;
      reconcilePeer.accounts.set(id, peerAccount(id, member ? member.username : `outsider${index}@crm.test`, member ? member.id.toString() : null, !member));
    }
    const run = await db().provisioningReconciliation.create({ data: { tenantId: tenant.id, applicationId: reconciled.id, dryRun: true } });
    global.gc?.();
    const start = process.memoryUsage();
    let peakRss = start.rss;
    let peakHeap = start.heapUsed;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed);
    }, 50);
    const reconcileStarted = performance.now();
    try {
      await runReconciliation(db(), run.id);
    } finally {
      clearInterval(sampler);
    }
    const reconcileSeconds = (performance.now() - reconcileStarted) / 1000;
    const end = process.memoryUsage();
    const result = await db().provisioningReconciliation.findUniqueOrThrow({ where: { id: run.id } });
    console.log(
      `  reconciliation (dry run) of ${result.accountsRead.toLocaleString("en")} accounts in pages of ${RECONCILE_PAGE_SIZE}: ${reconcileSeconds.toFixed(1)} s, ${result.status}, findings ${JSON.stringify(result.findings)}`,
    );
    console.log(`    RSS start ${MiB(start.rss)}, peak ${MiB(peakRss)}, end ${MiB(end.rss)}; heap used start ${MiB(start.heapUsed)}, peak ${MiB(peakHeap)}, end ${MiB(end.heapUsed)}`);
  } finally {
    await peer.stop();
    await reconcilePeer.stop();
  }
}
