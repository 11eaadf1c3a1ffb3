import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { db } from "@/server/db/client";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import type { TImportSummary } from "@/server/imports/get-import";
import { APPLY_BATCH_ROWS } from "@/server/imports/limits";
import { enqueueImportApply } from "@/server/imports/queue-import";
import { databaseCpuSeconds, startBenchWorker, waitFor, type TBenchWorker } from "./support/bench-worker";
import { WEB_NODE_FLAGS } from "./support/worker-node-flags";
import { printStatementProfile, statementProfileLoaded } from "./support/statement-profile";

// The member import as production runs it, on a generated CSV of N rows
// (default 100,000) into a new tenant beside the bench tenant, then the same
// file again (every row "unchanged": the compare path): the dry run (stream →
// parse → check → stage) in a process of its own, as the upload route runs it,
// and the apply as members__import_apply jobs in a worker process, a slice
// per job. Each peak RSS is that process's (the kernel's), not the bench's.
// The import is the bulk member write path the LDAP sync shares (writeMembers).

const FIRST_NAMES = ["Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis"];

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write("\uFEFFusername,firstName,lastName,email,mobile,country,title,gender\r\n");
  for (let n = 1; n <= rows; n += 1) {
    const line = `imported${n},${FIRST_NAMES[n % 8]},Surname${n},imported${n}@bench.test,+447400${String(n).padStart(6, "0")},GB,Engineer ${n % 50},${n % 2 ? "female" : "male"}\r\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** The web process's Node flags (it runs the dry run in production), or BENCH_DRY_RUN_FLAGS (space-separated) to compare. */
const dryRunFlags = () => (process.env.BENCH_DRY_RUN_FLAGS === undefined ? WEB_NODE_FLAGS : process.env.BENCH_DRY_RUN_FLAGS.split(" ").filter(Boolean));

type TDryRun = { summary: TImportSummary; seconds: number; cpuSeconds: number; peakRss: number };

/** The dry run in a child process (bench-dry-run-process.ts): its own time, CPU and peak RSS, and the database's CPU. */
async function dryRunInChild(file: string, actor: { tenantId: bigint; memberId: bigint; sysAdmin: number }): Promise<TDryRun & { databaseCpu: number }> {
  const script = path.join(import.meta.dirname, "support", "bench-dry-run-process.ts");
  const databaseBefore = await databaseCpuSeconds();
  const { stdout } = await promisify(execFile)(process.execPath, [...dryRunFlags(), "--import", "tsx", script, file, actor.tenantId.toString(), actor.memberId.toString(), String(actor.sysAdmin)], {
    env: process.env,
    maxBuffer: 16 * 1024 * 1024,
  });
  const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as TDryRun;
  return { ...result, databaseCpu: (await databaseCpuSeconds()) - databaseBefore };
}

/** Queues the import as "Apply" does, and waits for the worker's jobs to finish it. */
async function applyInWorker(worker: TBenchWorker, importId: bigint, appliedBy: bigint) {
  const started = performance.now();
  const ownBefore = await worker.cpuSeconds();
  const databaseBefore = await databaseCpuSeconds();
  await db().$transaction(async (tx) => {
    await tx.memberImport.update({ where: { id: importId }, data: { status: "queued", appliedBy } });
    await enqueueImportApply(tx, importId);
  });
  const done = await waitFor(async () => {
    const current = await db().memberImport.findUniqueOrThrow({ where: { id: importId } });
    return current.status === "queued" || current.status === "applying" ? null : current;
  });
  if (done.status !== "completed") throw new Error(`The bench's import ended ${done.status}`);
  const seconds = (performance.now() - started) / 1000;
  const cpu = `CPU: worker ${((await worker.cpuSeconds()) - ownBefore).toFixed(1)} s + database ${((await databaseCpuSeconds()) - databaseBefore).toFixed(1)} s`;
  return { done, seconds, cpu };
}

/** The database functions (triggers) by their own time so far, then reset. */
async function printFunctionTimes(): Promise<void> {
  const rows = await db().$queryRaw<{ funcname: string; calls: bigint; self_time: number }[]>`
    SELECT funcname, calls, self_time FROM pg_stat_user_functions ORDER BY self_time DESC LIMIT 12`;
  for (const row of rows) console.log(`      ${row.funcname.padEnd(48)} ${String(row.calls).padStart(8)} calls ${(row.self_time / 1000).toFixed(2)} s`);
  await db().$executeRaw`SELECT pg_stat_reset()`;
  if (await statementProfileLoaded()) await printStatementProfile("      ");
}

export async function benchImport(rows: number): Promise<void> {
  console.log(`\nImport (${rows.toLocaleString("en")} CSV rows into a new tenant):`);
  const dir = await mkdtemp(path.join(os.tmpdir(), "tenure-bench-import-"));
  let worker: TBenchWorker | null = null;
  try {
    const file = path.join(dir, "members.csv");
    await writeCsv(file, rows);
    const tenant = await db().tenant.create({ data: { slug: "bench-import", name: "Bench import" } });
    const admin = await db().user.create({
      data: { tenantId: tenant.id, username: "importer", email: "importer@bench.test", firstName: "Im", lastName: "Porter", fullName: "Im Porter", mobile: "+447700900000", sysAdmin: SYSTEM_ROLE.admin },
    });
    const actor = { tenantId: tenant.id, memberId: admin.id, sysAdmin: admin.sysAdmin };
    // BENCH_PROFILE=1: where the database's time goes (trigger functions' own time), printed after each pass.
    if (process.env.BENCH_PROFILE) await db().$executeRawUnsafe("ALTER DATABASE tenure SET track_functions = 'all'");
    worker = await startBenchWorker();
    console.log(`  file: ${((await stat(file)).size / 1024 / 1024).toFixed(1)} MB; worker process RSS when started: ${mb(await worker.peakRss())}`);
    await worker.resetPeakRss();
    let dryRunPeak = 0;

    for (const pass of ["first (all created)", "again (all unchanged)"]) {
      const dryRun = await dryRunInChild(file, actor);
      const summary = dryRun.summary;
      dryRunPeak = Math.max(dryRunPeak, dryRun.peakRss);
      if (summary.status !== "validated" || summary.errorRows > 0) throw new Error(`The bench file did not validate: ${summary.failureMessage ?? JSON.stringify(summary.firstErrors.slice(0, 3))}`);
      const apply = await applyInWorker(worker, BigInt(summary.id), admin.id);
      const { done } = apply;
      const rate = (seconds: number) => `${Math.round(rows / seconds).toLocaleString("en")} rows/s`;
      console.log(`  ${pass}:`);
      console.log(
        `    dry run (parse, check, stage)  ${dryRun.seconds.toFixed(1)} s  ${rate(dryRun.seconds)}  (CPU: its process ${dryRun.cpuSeconds.toFixed(1)} s + database ${dryRun.databaseCpu.toFixed(1)} s)`,
      );
      console.log(`    apply (batches of ${APPLY_BATCH_ROWS.toLocaleString("en")})       ${apply.seconds.toFixed(1)} s  ${rate(apply.seconds)}  (created ${done.createdCount}, updated ${done.updatedCount}, unchanged ${done.unchangedCount}; ${apply.cpu})`);
      console.log(`    total (dry run + apply)        ${(dryRun.seconds + apply.seconds).toFixed(1)} s`);
      if (done.createdCount > 0) console.log(`    created members/s (apply)      ${Math.round(done.createdCount / apply.seconds).toLocaleString("en")}`);
      if (process.env.BENCH_PROFILE) await printFunctionTimes();
    }
    console.log(`  peak RSS: dry run process ${mb(dryRunPeak)}; worker process while applying ${mb(await worker.peakRss())}`);
  } finally {
    await worker?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
