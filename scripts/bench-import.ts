import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { db } from "@/server/db/client";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { applyImport } from "@/server/imports/apply-import";
import { APPLY_BATCH_ROWS } from "@/server/imports/limits";
import { stageImport } from "@/server/imports/stage-import";

// The member import through its own code path (stream → parse → check →
// stage, then the apply job's batches) on a generated CSV of N rows (default
// 100,000) into a new tenant beside the bench tenant, then the same file
// again (every row "unchanged": the compare path). Peak RSS is the process's.
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

const megabytes = (kilobytes: number) => `${Math.round(kilobytes / 1024)} MB`;

/**
 * CPU seconds of the database's server processes (Linux /proc), beside the bench process's own: on a
 * shared machine the wall-clock figures move with the load, the CPU figures hardly at all.
 */
async function databaseCpuSeconds(): Promise<number> {
  const backends = await db().$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity`;
  let ticks = 0;
  for (const { pid } of backends) {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
    const fields = stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100;
}

async function cpuOf<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; cpu: string }> {
  const started = performance.now();
  const ownBefore = process.cpuUsage();
  const databaseBefore = await databaseCpuSeconds();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const own = process.cpuUsage(ownBefore);
  const database = (await databaseCpuSeconds()) - databaseBefore;
  return { result, seconds, cpu: `CPU: node ${((own.user + own.system) / 1e6).toFixed(1)} s + database ${database.toFixed(1)} s` };
}

export async function benchImport(rows: number): Promise<void> {
  console.log(`\nImport (${rows.toLocaleString("en")} CSV rows into a new tenant):`);
  const dir = await mkdtemp(path.join(os.tmpdir(), "tenure-bench-import-"));
  try {
    const file = path.join(dir, "members.csv");
    await writeCsv(file, rows);
    const tenant = await db().tenant.create({ data: { slug: "bench-import", name: "Bench import" } });
    const admin = await db().user.create({
      data: { tenantId: tenant.id, username: "importer", email: "importer@bench.test", firstName: "Im", lastName: "Porter", fullName: "Im Porter", mobile: "+447700900000", sysAdmin: SYSTEM_ROLE.admin },
    });
    const actor = { tenantId: tenant.id, memberId: admin.id, sysAdmin: admin.sysAdmin };
    console.log(`  file: ${((await stat(file)).size / 1024 / 1024).toFixed(1)} MB; RSS before: ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB`);
    // The process's peak (maxRSS) includes the bench's earlier parts: sample the RSS while importing too.
    let importPeak = 0;
    const sampler = setInterval(() => (importPeak = Math.max(importPeak, process.memoryUsage().rss)), 100);

    for (const pass of ["first (all created)", "again (all unchanged)"]) {
      const dryRun = await cpuOf(() => stageImport(db(), actor, { fileName: "members.csv", body: createReadStream(file, { highWaterMark: 64 * 1024 }) }));
      const summary = dryRun.result;
      const dryRunSeconds = dryRun.seconds;
      if (summary.status !== "validated" || summary.errorRows > 0) throw new Error(`The bench file did not validate: ${summary.failureMessage ?? JSON.stringify(summary.firstErrors.slice(0, 3))}`);
      await db().memberImport.update({ where: { id: BigInt(summary.id) }, data: { status: "queued", appliedBy: admin.id } });
      const apply = await cpuOf(() => applyImport(db(), BigInt(summary.id), Number.POSITIVE_INFINITY));
      const applySeconds = apply.seconds;
      const done = await db().memberImport.findUniqueOrThrow({ where: { id: BigInt(summary.id) } });
      const rate = (seconds: number) => `${Math.round(rows / seconds).toLocaleString("en")} rows/s`;
      console.log(`  ${pass}:`);
      console.log(`    dry run (parse, check, stage)  ${dryRunSeconds.toFixed(1)} s  ${rate(dryRunSeconds)}  (${dryRun.cpu})`);
      console.log(`    apply (batches of ${APPLY_BATCH_ROWS.toLocaleString("en")})       ${applySeconds.toFixed(1)} s  ${rate(applySeconds)}  (created ${done.createdCount}, updated ${done.updatedCount}, unchanged ${done.unchangedCount}; ${apply.cpu})`);
      console.log(`    total (dry run + apply)        ${(dryRunSeconds + applySeconds).toFixed(1)} s`);
      if (done.createdCount > 0) console.log(`    created members/s (apply)      ${Math.round(done.createdCount / applySeconds).toLocaleString("en")}`);
    }
    clearInterval(sampler);
    console.log(`  peak RSS while importing: ${Math.round(importPeak / 1024 / 1024)} MB; peak RSS of the whole bench process: ${megabytes(process.resourceUsage().maxRSS)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
