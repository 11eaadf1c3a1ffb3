import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { inSqlTransaction, SqlError } from "@/server/db/sql-transaction";
import { applyImport } from "@/server/imports/apply-import";
import { planBatch } from "@/server/imports/plan-batch";
import { rowRefusal, writeMembers } from "@/server/imports/write-members";
import { APPLY_BATCH_ROWS } from "@/server/imports/limits";
import { DEAD_AFTER_SECONDS, releaseDeadWorkersLocks } from "@/server/queue/worker-heartbeats";
import { createTenant } from "../support/factories";
import { HEADER, adminOf, csv, memberRow, upload } from "./member-import-helpers";

// The import's apply now runs on a plain connection with binary array parameters (server/db/sql-transaction.ts,
// server/db/binary-arrays.ts), and dead workers' jobs are freed by a crontab task. Neither is an entry point of its
// own: the apply is reached through imports.start (refused to anonymous callers, members, other organisations and
// without a step-up: member-import.test.ts, step-up tests). What is left to an attacker is what reaches them: hostile
// values, and bursts.

const TRANSACTION = { timeoutMs: 30_000 };
const newMemberRow = (rowNumber: number, values: Record<string, string>) => ({
  rowNumber,
  key: values.username!.toLowerCase(),
  values: { username: values.username!, firstName: "Eve", lastName: "Mallory", email: `${values.username}@example.test`, ...values },
});

describe("hostile values at the bulk write on a plain connection", () => {
  it("refuses a NUL byte or a 1 MB value as the row's fault (never the job's), and writes nothing of the batch", async () => {
    const tenant = await createTenant();
    const hostileValues: Record<string, string>[] = [{ title: "before\0after" }, { title: "x".repeat(1024 * 1024) }, { address: "\0" }];
    for (const hostile of hostileValues) {
      const rows = [newMemberRow(1, { username: "fine-one" }), newMemberRow(2, { username: "hostile", ...hostile })];
      const failure = await inSqlTransaction((tx) => writeMembers(tx, tenant.id, null, planBatch(rows, new Map(), "western").writes), TRANSACTION).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(SqlError);
      expect(rowRefusal(failure)?.field).toBeNull();
      expect(rowRefusal(failure)?.message).toMatch(/^The database refused this row/);
      expect(await db().user.count({ where: { tenantId: tenant.id } })).toBe(0);
    }
  });

  it("an upload whose cells hold a NUL byte or 1 MB creates nobody: the dry run refuses the row, or the whole file", async () => {
    const tenant = await createTenant();
    const { cookie } = await adminOf(tenant.id);
    const withNul = await upload(cookie, csv([HEADER, memberRow("nul\0name", 1), memberRow("fine", 2)]));
    expect(withNul.status).toBe(200);
    expect(withNul.summary).toMatchObject({ status: "validated", totalRows: 2, validRows: 1, errorRows: 1 });
    expect(new Set(withNul.summary.firstErrors.map((error) => error.rowNumber))).toEqual(new Set([1]));
    expect(withNul.summary.firstErrors).toContainEqual(expect.objectContaining({ rowNumber: 1, message: "Remove the control characters (such as NUL) from this text" }));

    const huge = await upload(cookie, csv([HEADER, memberRow("fine", 1), [...memberRow("huge", 2).slice(0, 5), "G".repeat(1024 * 1024)]]));
    expect(huge.status).toBe(422);
    expect(huge.summary.status).toBe("failed_validation");
    expect(huge.summary.failureMessage).toContain("Max Record Size");
    expect(await db().user.count({ where: { tenantId: tenant.id, source: "import" } })).toBe(0);
  });
});

describe("bursts", () => {
  it("50 applies of one import at once write every member exactly once, with one audit event each", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    // One batch and a half: the bursts race for both batches.
    const total = Math.round(APPLY_BATCH_ROWS * 1.5);
    const dryRun = (await upload(cookie, csv([HEADER, ...Array.from({ length: total }, (_, index) => memberRow(`burst${index + 1}`, index + 1))]))).summary;
    expect(dryRun).toMatchObject({ status: "validated", validRows: total });
    await caller.imports.start({ importId: dryRun.id });

    const results = await Promise.allSettled(Array.from({ length: 50 }, () => applyImport(db(), BigInt(dryRun.id))));
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    const done = await db().memberImport.findUniqueOrThrow({ where: { id: BigInt(dryRun.id) } });
    expect(done).toMatchObject({ status: "completed", createdCount: total, failedCount: 0, appliedRows: total });
    expect(await db().user.count({ where: { tenantId: tenant.id, source: "import" } })).toBe(total);
    expect(await db().auditEvent.count({ where: { tenantId: tenant.id, action: "member.imported" } })).toBe(total);
  });

  it("50 runs at once of freeing dead workers' jobs free a dead process's job and never a live one's", async () => {
    const lockedJob = async (workerId: string) => {
      const [added] = await db().$queryRaw<{ id: bigint }[]>`SELECT id FROM graphile_worker.add_job('rate_limits__prune_idle', '{}'::json, run_at => now() + interval '1 hour')`;
      await db().$executeRaw`
        UPDATE graphile_worker._private_jobs SET locked_by = ${workerId}, locked_at = now() - make_interval(secs => ${DEAD_AFTER_SECONDS + 60})
        WHERE id = ${added!.id}`;
      return added!.id;
    };
    const lockOf = async (id: bigint) => (await db().$queryRaw<{ locked_by: string | null }[]>`SELECT locked_by FROM graphile_worker._private_jobs WHERE id = ${id}`)[0];
    const live = `live-${Date.now()}`;
    await db().$executeRaw`INSERT INTO worker_heartbeats (worker_id, beat_at) VALUES (${live}, now())`;
    const [deadJob, liveJob] = [await lockedJob(`dead-${Date.now()}`), await lockedJob(live)];

    const results = await Promise.allSettled(Array.from({ length: 50 }, () => releaseDeadWorkersLocks(db())));
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    expect(await lockOf(deadJob)).toEqual({ locked_by: null });
    expect(await lockOf(liveJob)).toEqual({ locked_by: live });
  });
});
