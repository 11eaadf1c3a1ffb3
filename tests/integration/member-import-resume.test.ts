import { spawn } from "node:child_process";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { serverEnv } from "@/server/env";
import { applyImport, applyNextBatch } from "@/server/imports/apply-import";
import { APPLY_BATCH_ROWS } from "@/server/imports/limits";
import { enqueue } from "@/server/queue/enqueue";
import { createMember, createTenant } from "../support/factories";
import { HEADER, adminOf, csv, memberRow, report, reportRows, runDueJobs, upload } from "./member-import-helpers";

// Applying survives what happens to workers: a crash mid-batch, a database
// that refuses one row, a job that runs out of time, a cancel, and the
// retention of staged rows.

const importOf = (id: string) => db().memberImport.findUniqueOrThrow({ where: { id: BigInt(id) } });
const importedMembers = (tenantId: bigint) => db().user.count({ where: { tenantId, source: "import" } });
// Row counts in batches (APPLY_BATCH_ROWS rows each).
const BATCH = APPLY_BATCH_ROWS;
const batches = (count: number) => Math.round(count * BATCH);

/** The worker as production runs it (npm run worker), in its own process. */
function startWorkerProcess() {
  const child = spawn(process.execPath, ["--import", "tsx", "workers/run.ts"], {
    env: { ...process.env, DATABASE_URL: serverEnv().DATABASE_URL, NEXTAUTH_SECRET: serverEnv().NEXTAUTH_SECRET, NEXTAUTH_URL: "http://localhost:3000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return { child, exited, output: () => output };
}

async function lockWaiters(pattern: string): Promise<number> {
  const [row] = await db().$queryRaw<{ count: bigint }[]>`
    SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ${`%${pattern}%`}`;
  return Number(row?.count ?? 0);
}

async function anchoredTenant() {
  const tenant = await createTenant();
  const admin = await adminOf(tenant.id);
  const team = await db().department.create({ data: { tenantId: tenant.id, name: "Team" } });
  const anchor = await createMember(tenant.id, { username: "anchor" });
  await db().departmentMember.create({ data: { departmentId: team.id, userId: anchor.id } });
  await db().user.update({ where: { id: anchor.id }, data: { mainDepartmentId: team.id } });
  return { tenant, team, anchor, ...admin };
}

describe("import resume after a simulated crash", () => {
  it("a worker killed in the middle of a batch loses that batch only; the watchdog's fresh job finishes it without duplicating anyone", async () => {
    const { tenant, team, anchor, cookie, caller } = await anchoredTenant();
    // Three and a half batches. The middle row of the third makes "anchor" head of Team; every 0.7 batch's last row is invalid
    // (five rows, two of them in the first two batches).
    const total = batches(3.5);
    const rows = Array.from({ length: total }, (_, index) => {
      const n = index + 1;
      if (n === batches(2.5)) return ["anchor", "Member", "anchor", anchor.email, anchor.mobile!, "", "Team", "yes"];
      return [...memberRow(n % batches(0.7) === 0 ? `bad name ${n}` : `bulk${n}`, n), "", ""];
    });
    const dryRun = (await upload(cookie, csv([[...HEADER, "mainDepartment", "deptHead"], ...rows]))).summary;
    expect(dryRun).toMatchObject({ status: "validated", totalRows: total, validRows: total - 5, errorRows: 5 });
    await caller.imports.start({ importId: dryRun.id });

    // Batch 3 will wait for this row lock at its department-head write, after inserting its new members (uncommitted).
    const blocker = new pg.Client({ connectionString: serverEnv().DATABASE_URL });
    await blocker.connect();
    await blocker.query("BEGIN");
    await blocker.query("SELECT 1 FROM department_members WHERE department_id = $1 AND user_id = $2 FOR UPDATE", [team.id.toString(), anchor.id.toString()]);
    const worker = startWorkerProcess();
    try {
      await expect.poll(() => lockWaiters("UPDATE department_members"), { timeout: 60_000, interval: 50 }).toBe(1);
      // Mid-batch: two batches committed (the second may commit just after the third starts waiting: two are in flight), the third's members not visible.
      await expect.poll(async () => (await importOf(dryRun.id)).appliedRows, { timeout: 60_000, interval: 50 }).toBe(batches(2));
      expect(await importOf(dryRun.id)).toMatchObject({ status: "applying", appliedRows: batches(2), createdCount: batches(2) - 2 });
      expect(await importedMembers(tenant.id)).toBe(batches(2) - 2);
      worker.child.kill("SIGKILL");
      await worker.exited;
    } finally {
      await blocker.query("ROLLBACK");
      await blocker.end();
    }
    // The dead worker's job stays locked (graphile-worker frees it after hours); nothing moves.
    expect(await importOf(dryRun.id)).toMatchObject({ status: "applying", appliedRows: batches(2) });
    expect(await importedMembers(tenant.id)).toBe(batches(2) - 2);

    // Minutes later the watchdog (crontab, every minute) sees no progress and enqueues a fresh job.
    await db().$executeRaw`UPDATE member_imports SET updated_at = now() - interval '5 minutes' WHERE id = ${BigInt(dryRun.id)}`;
    await db().$transaction((tx) => enqueue(tx, "members__import_resume_stalled", {}));
    await runDueJobs();

    expect(await caller.imports.get({ importId: dryRun.id })).toMatchObject({
      status: "completed",
      appliedRows: total,
      createdCount: total - 6,
      updatedCount: 1,
      unchangedCount: 0,
      failedCount: 0,
      errorRows: 5,
    });
    expect(await importedMembers(tenant.id)).toBe(total - 6);
    // Exactly one audit event per member written: no batch was applied twice.
    const [audit] = await db().$queryRaw<{ events: bigint; targets: bigint }[]>`
      SELECT count(*) AS events, count(DISTINCT target_id) AS targets FROM audit_events WHERE tenant_id = ${tenant.id} AND action = 'member.imported'`;
    expect(audit).toEqual({ events: BigInt(total - 5), targets: BigInt(total - 5) });
    expect(await db().departmentMember.findUniqueOrThrow({ where: { departmentId_userId: { departmentId: team.id, userId: anchor.id } } })).toMatchObject({ isHead: true });
    const outcomes = await db().memberImportRow.groupBy({ by: ["outcome"], where: { importId: BigInt(dryRun.id) }, _count: true });
    expect(Object.fromEntries(outcomes.map((group) => [group.outcome, group._count]))).toEqual({ created: total - 6, updated: 1, invalid: 5 });
  }, 180_000);

  it("hands over to a fresh job when its time slice is used up, and the fresh job goes on from the checkpoint", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const total = batches(2.5);
    const dryRun = (await upload(cookie, csv([HEADER, ...Array.from({ length: total }, (_, index) => memberRow(`slice${index + 1}`, index + 1))]))).summary;
    await caller.imports.start({ importId: dryRun.id });
    expect(await applyImport(db(), BigInt(dryRun.id), 0)).toBe("more");
    expect(await importOf(dryRun.id)).toMatchObject({ status: "applying", appliedRows: BATCH, createdCount: BATCH });
    await runDueJobs();
    expect(await importOf(dryRun.id)).toMatchObject({ status: "completed", appliedRows: total, createdCount: total });
    expect(await importedMembers(tenant.id)).toBe(total);
  });
});

describe("two batches at work at once", () => {
  it("rows joining one department in every batch: each member is written and joins once", async () => {
    const { tenant, team, cookie, caller } = await anchoredTenant();
    const total = batches(2.5);
    const rows = Array.from({ length: total }, (_, index) => [...memberRow(`team${index + 1}`, index + 1), "Team"]);
    const dryRun = (await upload(cookie, csv([[...HEADER, "mainDepartment"], ...rows]))).summary;
    expect(dryRun).toMatchObject({ status: "validated", validRows: total });
    await caller.imports.start({ importId: dryRun.id });
    expect(await applyImport(db(), BigInt(dryRun.id), 120_000)).toBe("done");
    expect(await importOf(dryRun.id)).toMatchObject({ status: "completed", appliedRows: total, createdCount: total, failedCount: 0 });
    expect(await db().departmentMember.count({ where: { departmentId: team.id } })).toBe(total + 1);
    const [audit] = await db().$queryRaw<{ events: bigint; targets: bigint }[]>`
      SELECT count(*) AS events, count(DISTINCT target_id) AS targets FROM audit_events WHERE tenant_id = ${tenant.id} AND action = 'member.imported'`;
    expect(audit).toEqual({ events: BigInt(total), targets: BigInt(total) });
  });

  it("two jobs applying the same import at once (the old one and the watchdog's): the batches of one roll back, nobody is written twice", async () => {
    const { tenant, cookie, caller } = await anchoredTenant();
    const total = batches(3.5);
    const dryRun = (await upload(cookie, csv([HEADER, ...Array.from({ length: total }, (_, index) => memberRow(`twice${index + 1}`, index + 1))]))).summary;
    await caller.imports.start({ importId: dryRun.id });
    const results = await Promise.all([applyImport(db(), BigInt(dryRun.id), 120_000), applyImport(db(), BigInt(dryRun.id), 120_000)]);
    expect(results.sort()).toEqual(["done", "stopped"]);
    expect(await importOf(dryRun.id)).toMatchObject({ status: "completed", appliedRows: total, createdCount: total, failedCount: 0 });
    expect(await importedMembers(tenant.id)).toBe(total);
    const [audit] = await db().$queryRaw<{ events: bigint; targets: bigint }[]>`
      SELECT count(*) AS events, count(DISTINCT target_id) AS targets FROM audit_events WHERE tenant_id = ${tenant.id} AND action = 'member.imported'`;
    expect(audit).toEqual({ events: BigInt(total), targets: BigInt(total) });
    const outcomes = await db().memberImportRow.groupBy({ by: ["outcome"], where: { importId: BigInt(dryRun.id) }, _count: true });
    expect(Object.fromEntries(outcomes.map((group) => [group.outcome, group._count]))).toEqual({ created: total });
  });
});

describe("rows the database refuses while applying", () => {
  it("re-checks each batch before applying it, so a member archived after the dry run fails alone and the other rows are applied", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const archived = await createMember(tenant.id, { username: "archived" });
    const dryRun = (await upload(cookie, csv([[...HEADER, "title"], [...memberRow("before", 1), "New"], ["archived", "Member", "archived", archived.email, archived.mobile!, "", "New"], [...memberRow("after", 3), "New"]]))).summary;
    expect(dryRun).toMatchObject({ validRows: 3 });
    await db().user.update({ where: { id: archived.id }, data: { state: "archived", archivedAt: new Date() } });
    await caller.imports.start({ importId: dryRun.id });
    await runDueJobs();
    expect(await caller.imports.get({ importId: dryRun.id })).toMatchObject({
      status: "completed",
      createdCount: 2,
      failedCount: 1,
      firstErrors: [{ rowNumber: 2, username: "archived", field: "username", message: "This username belongs to an archived member: unarchive them to use it again, or choose another (Members → Archived)" }],
    });
    expect(await db().user.findUniqueOrThrow({ where: { id: archived.id } })).toMatchObject({ title: null });
  });

  it("fails a row whose email another transaction took while the batch ran, and applies the rest", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const dryRun = (await upload(cookie, csv([HEADER, memberRow("raceone", 1), memberRow("racetwo", 2)]))).summary;
    await caller.imports.start({ importId: dryRun.id });
    const rival = new pg.Client({ connectionString: serverEnv().DATABASE_URL });
    await rival.connect();
    try {
      await rival.query("BEGIN");
      await rival.query(
        "INSERT INTO users (tenant_id, username, email, first_name, last_name, full_name, mobile) VALUES ($1, 'rival', 'racetwo@import.test', 'R', 'R', 'R R', '+447400559990')",
        [tenant.id.toString()],
      );
      const batch = applyNextBatch(db(), BigInt(dryRun.id));
      await expect.poll(() => lockWaiters("INSERT INTO users"), { timeout: 20_000, interval: 20 }).toBe(1);
      await rival.query("COMMIT");
      expect(await batch).toEqual({ result: "done", createdBefore: 0, createdAfter: 1 });
    } finally {
      await rival.end();
    }
    expect(await caller.imports.get({ importId: dryRun.id })).toMatchObject({
      createdCount: 1,
      failedCount: 1,
      firstErrors: [{ rowNumber: 2, field: "email", message: "This email address is already used by another member" }],
    });
  });
});

describe("stopping and cleaning up", () => {
  it("a cancelled import stops before its next batch; a finished one cannot be cancelled", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const dryRun = (await upload(cookie, csv([HEADER, memberRow("never", 1)]))).summary;
    await caller.imports.start({ importId: dryRun.id });
    expect(await caller.imports.cancel({ importId: dryRun.id })).toMatchObject({ status: "cancelled" });
    await runDueJobs();
    expect(await importedMembers(tenant.id)).toBe(0);
    expect(reportRows((await report(cookie, dryRun.id)).text).map((row) => row[2])).toEqual(["not applied"]);
    await expect(caller.imports.cancel({ importId: dryRun.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("deletes staged rows (personal data) days after an import ends, closes interrupted uploads, and keeps the counts", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const old = (await upload(cookie, csv([HEADER, memberRow("kept", 1)]))).summary;
    await caller.imports.start({ importId: old.id });
    await runDueJobs();
    const recent = (await upload(cookie, csv([HEADER, memberRow("recent", 2)]))).summary;
    const interrupted = await db().memberImport.create({ data: { tenantId: tenant.id, fileName: "cut.csv", format: "csv", updatedAt: new Date(Date.now() - 2 * 60 * 60 * 1000) } });
    await db().$executeRaw`UPDATE member_imports SET updated_at = now() - interval '8 days' WHERE id = ${BigInt(old.id)}`;

    await db().$transaction((tx) => enqueue(tx, "members__import_purge", {}));
    await runDueJobs();

    expect(await db().memberImportRow.count({ where: { importId: BigInt(old.id) } })).toBe(0);
    expect(await caller.imports.get({ importId: old.id })).toMatchObject({ status: "completed", createdCount: 1, rowsPurgedAt: expect.any(Date) as unknown });
    expect((await report(cookie, old.id)).status).toBe(404);
    expect(await db().memberImportRow.count({ where: { importId: BigInt(recent.id) } })).toBe(1);
    expect(await importOf(interrupted.id.toString())).toMatchObject({ status: "failed_validation", failureMessage: expect.stringContaining("interrupted") as unknown });
  });
});
