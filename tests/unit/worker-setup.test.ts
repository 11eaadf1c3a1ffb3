import { readFileSync } from "node:fs";
import { parseCrontab } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { taskPayloads } from "@/server/queue/payloads";
import { launcherEnv } from "@/server/env";
import { CRONTAB_FILE } from "@/workers/start-worker";
import { taskList } from "@/workers/task-list";
import { readdirSync } from "node:fs";
import path from "node:path";

describe("worker wiring", () => {
  it("runs the expired-session sweep every hour, catching up after an outage", () => {
    const items = parseCrontab(readFileSync(CRONTAB_FILE, "utf8"));
    const sweep = items.find((item) => item.task === "session__delete_expired");
    expect(sweep).toBeDefined();
    expect(sweep?.match).toBeDefined();
    expect(sweep?.options.backfillPeriod).toBe(2 * 3600_000);
    // Fires at minute 0 of every hour, and only then.
    const fires = (minute: number, hour: number) =>
      typeof sweep?.match === "function" && sweep.match({ min: minute, hour, date: 1, month: 1, dow: 1 });
    expect(fires(0, 13)).toBe(true);
    expect(fires(30, 13)).toBe(false);
  });

  it("knows every crontab task, and has one file per task named after it", () => {
    const items = parseCrontab(readFileSync(CRONTAB_FILE, "utf8"));
    for (const item of items) expect(Object.keys(taskList)).toContain(item.task);
    const files = readdirSync(path.join(path.dirname(CRONTAB_FILE), "tasks")).map((file) => file.replace(/\.ts$/, ""));
    expect(files.sort()).toEqual(Object.keys(taskList).sort());
    expect(Object.keys(taskPayloads).sort()).toEqual(Object.keys(taskList).sort());
  });

  it("accepts a crontab payload but no unknown fields", () => {
    expect(taskPayloads.session__delete_expired.safeParse({ _cron: { ts: "2026-01-01T00:00:00Z", backfilled: false } }).success).toBe(true);
    expect(taskPayloads.session__delete_expired.safeParse({ surprise: 1 }).success).toBe(false);
  });

  it("refuses a back-channel logout job with too many, malformed or foreign fields (payloads are data, not trust)", () => {
    const payload = taskPayloads.application__deliver_backchannel_logout;
    expect(payload.safeParse({ deliveryIds: ["1", "2"] }).success).toBe(true);
    expect(payload.safeParse({ deliveryId: "7" }).success).toBe(true);
    for (const bad of [
      { deliveryIds: [] },
      { deliveryIds: Array.from({ length: 51 }, (_, index) => String(index + 1)) },
      { deliveryIds: ["1\u0000"] },
      { deliveryIds: ["x".repeat(1024 * 1024)] },
      { deliveryIds: ["1"], tenantId: "2" },
      { deliveryId: "1", deliveryIds: ["2"] },
    ]) {
      expect(payload.safeParse(bad).success, JSON.stringify(bad).slice(0, 80)).toBe(false);
    }
  });

  it("takes a delivery concurrency from 1 to 200 only", () => {
    const saved = process.env.WORKER_DELIVERY_CONCURRENCY;
    try {
      for (const bad of ["0", "201", "2.5", "many"]) {
        process.env.WORKER_DELIVERY_CONCURRENCY = bad;
        expect(() => launcherEnv(), bad).toThrow(/WORKER_DELIVERY_CONCURRENCY/);
      }
      delete process.env.WORKER_DELIVERY_CONCURRENCY;
      expect(launcherEnv().WORKER_DELIVERY_CONCURRENCY).toBe(25);
    } finally {
      if (saved === undefined) delete process.env.WORKER_DELIVERY_CONCURRENCY;
      else process.env.WORKER_DELIVERY_CONCURRENCY = saved;
    }
  });
});
