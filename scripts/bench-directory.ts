import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Attribute, Change } from "ldapts";
import { db } from "@/server/db/client";
import { PRESETS } from "@/server/directories/attribute-mapping";
import { sealBindPassword } from "@/server/directories/load-directory";
import { enqueueSyncRun, requestSyncRun } from "@/server/directories/request-sync";
import { listMembers } from "@/server/members/list-members";
import { startSlapd } from "../tests/support/slapd";
import { percentiles, timeEach } from "./support/bench-timing";
import { startBenchWorker, waitFor, type TBenchWorker } from "./support/bench-worker";
import { printStatementProfile, resetStatementProfile, statementProfileLoaded } from "./support/statement-profile";

// The directory sync as production runs it: directory__sync jobs in a worker
// process of their own (read → plan → stage, then the apply batches, a slice
// per job), against a real slapd loaded with N entries (default 100,000, in 20
// OUs mirrored as departments) into an empty tenant: the first sync (its dry
// run, then the approved apply), an incremental run with 1% changed, and the
// member list and search for synced members beside imported-like ones. The
// peak RSS is the worker's (the kernel's VmHWM), not this process's, which
// holds the generated LDIF.

const ENTRIES = Number(process.env.BENCH_DIRECTORY_ENTRIES ?? 100_000);
const OUS = 20;
const FIRST_NAMES = ["Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis"];

function ldif(suffix: string): string {
  const parts = [`dn: ou=people,${suffix}\nobjectClass: organizationalUnit\nou: people\n`];
  for (let ou = 0; ou < OUS; ou += 1) parts.push(`dn: ou=Team ${ou},ou=people,${suffix}\nobjectClass: organizationalUnit\nou: Team ${ou}\n`);
  // Synced people have the even numbers; the local members compared with them later have the odd ones.
  for (let index = 1; index <= ENTRIES; index += 1) {
    const n = 2 * index;
    const first = FIRST_NAMES[index % 8];
    parts.push(
      `dn: uid=person${n},ou=Team ${index % OUS},ou=people,${suffix}\nobjectClass: inetOrgPerson\nuid: person${n}\ncn: ${first} Surname${n}\ngivenName: ${first}\nsn: Surname${n}\nmail: person${n}@ldap.bench\ntitle: Engineer ${n % 50}\n`,
    );
  }
  return parts.join("\n") + "\n";
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

const ENDED = ["succeeded", "failed", "cancelled"];

/** Waits for the worker's jobs to read the run, approves a plan that waits (as an owner would), then waits for the apply. */
async function runInWorker(runId: bigint): Promise<{ read: number; apply: number }> {
  const statusOf = async () => (await db().directorySyncRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true } })).status;
  let started = performance.now();
  const afterRead = await waitFor(async () => {
    const status = await statusOf();
    return status === "queued" || status === "reading" ? null : status;
  });
  const read = (performance.now() - started) / 1000;
  started = performance.now();
  if (afterRead === "awaiting_approval" || afterRead === "stopped") {
    await db().$transaction(async (tx) => {
      await tx.directorySyncRun.update({ where: { id: runId }, data: { status: "applying" } });
      await enqueueSyncRun(tx, runId);
    });
  }
  const status = await waitFor(async () => {
    const current = await statusOf();
    return ENDED.includes(current) ? current : null;
  });
  if (status !== "succeeded") throw new Error(`The bench's sync run ended ${status}`);
  return { read, apply: (performance.now() - started) / 1000 };
}

export async function benchDirectory(): Promise<void> {
  console.log(`\nDirectory sync (${ENTRIES.toLocaleString("en")} LDAP entries, real slapd):`);
  const dir = await mkdtemp(path.join(os.tmpdir(), "tenure-bench-ldap-"));
  let started = performance.now();
  const suffix = "dc=bench,dc=test";
  const slapd = await startSlapd({ suffix, ldif: ldif(suffix) });
  console.log(`  slapadd + start: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  let worker: TBenchWorker | null = null;
  try {
    const tenant = await db().tenant.create({ data: { slug: "bench-ldap", name: "Bench LDAP" } });
    const directory = await db().directory.create({
      data: {
        tenantId: tenant.id,
        name: "Bench LDAP",
        preset: "openldap",
        url: slapd.url,
        bindDn: slapd.rootDn,
        baseDn: `ou=people,${suffix}`,
        userFilter: PRESETS.openldap.userFilter,
        pageSize: 1000,
        attributeMapping: PRESETS.openldap.mapping,
        departmentSource: process.env.BENCH_DIRECTORY_DEPARTMENTS === "none" ? "none" : "ou_path",
        safetyStopPercent: 100,
      },
    });
    await db().directory.update({ where: { id: directory.id }, data: { bindPasswordSealed: sealBindPassword(directory.id, slapd.rootPassword) } });
    worker = await startBenchWorker();
    const idle = await worker.peakRss();
    await worker.resetPeakRss();

    // BENCH_PG_STATEMENTS=1: where the first sync's database time went, printed after its figures.
    const profiled = await statementProfileLoaded();
    if (profiled) await resetStatementProfile();
    const first = await requestSyncRun(db(), { tenantId: tenant.id, memberId: null }, directory.id, "full");
    const firstTimes = await runInWorker(first.runId);
    const firstPeak = await worker.peakRss();
    const run = await db().directorySyncRun.findUniqueOrThrow({ where: { id: first.runId } });
    const rate = (seconds: number) => `${Math.round(ENTRIES / seconds).toLocaleString("en")} entries/s`;
    console.log(`  first sync into an empty tenant: ${(firstTimes.read + firstTimes.apply).toFixed(1)} s (status ${run.status}, created ${run.creates}, errors ${run.errors})`);
    console.log(`    dry run (read, map, plan, stage)  ${firstTimes.read.toFixed(1)} s  ${rate(firstTimes.read)}`);
    console.log(`    apply (batches of 1,000)            ${firstTimes.apply.toFixed(1)} s  ${rate(firstTimes.apply)}`);
    console.log(`    worker process peak RSS: ${mb(firstPeak)} (${mb(idle)} when started, before any job)`);
    if (profiled) await printStatementProfile("    ", 16);

    // 1% changed, a second after the mark (incremental runs read strictly later changes).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const changed = Math.max(1, Math.floor(ENTRIES / 100));
    const client = await slapd.rootClient();
    started = performance.now();
    for (let n = 1; n <= changed; n += 1) {
      const index = n * 100;
      await client.modify(`uid=person${2 * index},ou=Team ${index % OUS},ou=people,${suffix}`, [new Change({ operation: "replace", modification: new Attribute({ type: "title", values: ["Changed"] }) })]);
    }
    await client.unbind();
    console.log(`  (${changed.toLocaleString("en")} entries modified in LDAP in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    const incremental = await requestSyncRun(db(), { tenantId: tenant.id, memberId: null }, directory.id, "incremental");
    const incTimes = await runInWorker(incremental.runId);
    const incRun = await db().directorySyncRun.findUniqueOrThrow({ where: { id: incremental.runId } });
    console.log(`  incremental sync, 1% changed: ${(incTimes.read + incTimes.apply).toFixed(2)} s (read ${incRun.entriesRead}, updated ${incRun.updates})`);

    const full = await requestSyncRun(db(), { tenantId: tenant.id, memberId: null }, directory.id, "full");
    const fullTimes = await runInWorker(full.runId);
    console.log(`  full sync, nothing changed: ${(fullTimes.read + fullTimes.apply).toFixed(1)} s`);
    console.log(`  worker process peak RSS over the three runs: ${mb(await worker.peakRss())}`);
    await worker.stop();
    worker = null;

    // As many local members, shaped like the synced ones and interleaved with them (the odd numbers, in the
    // same departments), so the lists compare synced against not synced and nothing else.
    await db().$executeRaw`
      INSERT INTO users (tenant_id, username, email, first_name, last_name, full_name, title, source)
      SELECT ${tenant.id}, 'person' || n, 'person' || n || '@ldap.bench', (${FIRST_NAMES}::text[])[1 + i % 8], 'Surname' || n,
             (${FIRST_NAMES}::text[])[1 + i % 8] || ' Surname' || n, 'Engineer ' || (n % 50), 'import'
      FROM generate_series(1, ${ENTRIES}) i CROSS JOIN LATERAL (SELECT 2 * i - 1 AS n) odd`;
    await db().$executeRaw`
      WITH teams AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS slot FROM departments WHERE directory_id = ${directory.id} AND parent_id IS NOT NULL),
           locals AS (SELECT id, (substr(username::text, 7)::int + 1) / 2 AS i FROM users WHERE tenant_id = ${tenant.id} AND source = 'import')
      INSERT INTO department_members (department_id, user_id) SELECT teams.id, locals.id FROM locals JOIN teams ON teams.slot = locals.i % ${OUS}`;
    await db().$executeRaw`
      UPDATE users u SET main_department_id = dm.department_id FROM department_members dm WHERE dm.user_id = u.id AND u.tenant_id = ${tenant.id} AND u.source = 'import'`;
    // As autovacuum leaves the tables after a bulk load: both kinds of members on equal terms.
    await db().$executeRawUnsafe("VACUUM ANALYZE");
    const list = (input: Parameters<typeof listMembers>[2]) => () => listMembers(db(), tenant.id, { limit: 50, ...input });
    console.log("  member list and search, synced vs not:");
    for (const [label, work] of [
      ["first page, source ldap", list({ source: "ldap" })],
      ["first page, source import", list({ source: "import" })],
      ["search 'surname7778' (synced)", list({ search: "surname7778" })],
      ["search 'surname7779' (not synced)", list({ search: "surname7779" })],
      // A search's time depends on the string's trigrams (4242 and 4245 meet more near misses than 4243 and 4244),
      // not on where the member came from: each shape is timed for a synced and a local member.
      ["search 'person4242' (synced username)", list({ search: "person4242" })],
      ["search 'person4245' (local username)", list({ search: "person4245" })],
      ["search 'person4244' (synced username)", list({ search: "person4244" })],
      ["search 'person4243' (local username)", list({ search: "person4243" })],
      ["search 'ada' (both)", list({ search: "ada" })],
    ] as const) {
      console.log(`    ${label.padEnd(40)} ${percentiles(await timeEach(30, work))}`);
    }
  } finally {
    await worker?.stop();
    await slapd.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
