import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createTenant } from "../support/factories";
import { runDueJobs } from "../support/lifecycle";

// Issue 10, item 12: "Forgot password" must not tell, by its timing, whether
// an account exists. The request does the same work for any account (it
// queues a job; the job looks the account up), measured here over many
// requests through the public procedure, and checked structurally.

const client = { ipAddress: "198.51.100.90", userAgent: "vitest" };
const ROUNDS = 40;
/** Repeated like the known login, so both take the job queue's same path (a repeat replaces the queued job). */
const UNKNOWN = "nobody-by-this-name@example.test";

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2;
};

async function jobsOf(task: string) {
  return db().$queryRaw<{ key: string | null; payload: Record<string, unknown> }[]>`
    SELECT j.key, j.payload::jsonb AS payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = ${task} ORDER BY j.id`;
}

describe("forgot password timing", () => {
  it("runs the same path for a known and an unknown account: one queued job each, nothing written about the member", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    const caller = createCaller(await createContextForSessionId(null, client));
    await caller.auth.passwordReset.request({ organisation: tenant.slug, login: member.username });
    await caller.auth.passwordReset.request({ organisation: tenant.slug, login: "nobody-by-this-name" });

    const jobs = await jobsOf("auth__password_reset_request");
    expect(jobs).toHaveLength(2);
    expect(Object.keys(jobs[0]!.payload).sort()).toEqual(Object.keys(jobs[1]!.payload).sort());
    expect(jobs.map((job) => job.key?.replace(/[0-9a-f]{64}$/, "…"))).toEqual(["password-reset-request:…", "password-reset-request:…"]);
    // The request itself read nor wrote anything about the member: no token, no mail, no audit event yet.
    expect(await db().passwordResetToken.count({ where: { userId: member.id } })).toBe(0);
    expect(await db().outboxMail.count({ where: { userId: member.id } })).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: member.id } })).toBe(0);

    await runDueJobs();
    expect(await db().outboxMail.count({ where: { userId: member.id, kind: "password_reset" } })).toBe(1);
  });

  it("takes the same time for a known and an unknown account (medians over many interleaved requests)", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    const caller = createCaller(await createContextForSessionId(null, client));
    const timed = async (login: string) => {
      const started = performance.now();
      await caller.auth.passwordReset.request({ organisation: tenant.slug, login });
      return performance.now() - started;
    };
    // Warm both paths (connections, prepared statements), then alternate so the machine's load falls on both alike.
    for (let round = 0; round < 5; round += 1) {
      await timed(member.email);
      await timed(UNKNOWN);
    }
    const known: number[] = [];
    const unknown: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      if (round % 2 === 0) {
        known.push(await timed(member.email));
        unknown.push(await timed(UNKNOWN));
      } else {
        unknown.push(await timed(UNKNOWN));
        known.push(await timed(member.email));
      }
    }
    const [knownMedian, unknownMedian] = [median(known), median(unknown)];
    // Robust on a loaded 2-core machine: medians, and a ratio with a small absolute floor.
    const slower = Math.max(knownMedian, unknownMedian);
    const faster = Math.min(knownMedian, unknownMedian);
    console.info(`forgot password: known ${knownMedian.toFixed(2)} ms, unknown ${unknownMedian.toFixed(2)} ms (medians of ${ROUNDS})`);
    expect(slower, `known ${knownMedian.toFixed(2)} ms, unknown ${unknownMedian.toFixed(2)} ms`).toBeLessThanOrEqual(faster * 1.5 + 0.5);
  });
});
