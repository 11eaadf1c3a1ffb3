import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { bucketExists, reserveToken, takeToken } from "@/server/rate-limits/token-bucket";
import { BUCKET_REFILL_CEILING_SECONDS, pruneIdleBuckets } from "@/server/rate-limits/prune-idle-buckets";
import { API_TOKEN_RATE_LIMIT } from "@/server/api-tokens/authenticate-api-token";
import { DIRECTORY_PROBE_LIMIT } from "@/server/directories/directory-probe-limit";
import { WEBHOOK_MANUAL_SEND_LIMIT } from "@/server/webhooks/manual-sends";
import { SCIM_PROBE_LIMIT } from "@/server/provisioning/test-scim-connection";
import { PEER_RATE_LIMIT } from "@/server/provisioning/sync-member-account";

// The shared rate limiter: a parallel burst gets exactly the capacity, the
// bucket refills at its rate, and a refusal says when to try again.

const LIMIT = { capacity: 5, perSeconds: 10 };

describe("token bucket rate limit", () => {
  it("lets exactly its capacity through a parallel burst", async () => {
    const key = `test:${randomUUID()}`;
    const now = new Date();
    const burst = await Promise.all(Array.from({ length: 20 }, () => takeToken(db(), key, LIMIT, now)));
    expect(burst.filter((result) => result.allowed)).toHaveLength(5);
    expect(burst.find((result) => !result.allowed)).toEqual({ allowed: false, retryAfterSeconds: 2 });
  });

  it("refills at capacity per window, never above capacity", async () => {
    const key = `test:${randomUUID()}`;
    const start = new Date("2026-12-01T10:00:00Z");
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    for (let i = 0; i < 5; i++) expect((await takeToken(db(), key, LIMIT, start)).allowed).toBe(true);
    expect((await takeToken(db(), key, LIMIT, at(1))).allowed).toBe(false);
    // One token every 2 seconds.
    expect((await takeToken(db(), key, LIMIT, at(2))).allowed).toBe(true);
    expect((await takeToken(db(), key, LIMIT, at(2.5))).allowed).toBe(false);
    // An hour idle refills to 5, not to 1,800.
    const later = await Promise.all(Array.from({ length: 8 }, () => takeToken(db(), key, LIMIT, at(3600))));
    expect(later.filter((result) => result.allowed)).toHaveLength(5);
  });

  it("keeps keys apart, and a key never taken from has no bucket", async () => {
    const [a, b] = [`test:${randomUUID()}`, `test:${randomUUID()}`];
    for (let i = 0; i < 5; i++) await takeToken(db(), a, LIMIT);
    expect((await takeToken(db(), a, LIMIT)).allowed).toBe(false);
    expect(await bucketExists(db(), b)).toBe(false);
    expect((await takeToken(db(), b, LIMIT)).allowed).toBe(true);
  });
});

describe("token bucket turns (outbound calls pace themselves)", () => {
  it("gives a parallel burst the capacity at once, then one turn per refill interval up to the debt allowed, and refuses beyond it", async () => {
    const key = `test:${randomUUID()}`;
    const now = new Date();
    // 5 per 10 s: a token every 2 s; a debt of 6 s is 3 turns.
    const burst = await Promise.all(Array.from({ length: 12 }, () => reserveToken(db(), key, LIMIT, 6, now)));
    const waits = burst.flatMap((turn) => (turn.allowed ? [turn.waitSeconds] : [])).sort((a, b) => a - b);
    expect(waits).toEqual([0, 0, 0, 0, 0, 2, 4, 6]);
    const refused = burst.filter((turn) => !turn.allowed);
    expect(refused).toHaveLength(4);
    // The bucket is 3 tokens in debt: a whole token again in 8 s.
    expect(refused[0]).toEqual({ allowed: false, retryAfterSeconds: 8 });
  });

  it("pays the debt back at the refill rate: a later turn waits only for what is still owed", async () => {
    const key = `test:${randomUUID()}`;
    const start = new Date("2026-12-01T10:00:00Z");
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    for (let i = 0; i < 7; i++) await reserveToken(db(), key, LIMIT, 6, start);
    // 2 tokens in debt at the start; 5 s later 0.5 token is left, so the next turn is 1 s away.
    expect(await reserveToken(db(), key, LIMIT, 6, at(5))).toEqual({ allowed: true, waitSeconds: 1 });
    // A plain take sees no token while the bucket is in debt.
    expect((await takeToken(db(), key, LIMIT, at(5))).allowed).toBe(false);
  });
});

describe("idle bucket pruning", () => {
  it("deletes only buckets that have refilled completely, and a pruned key starts full again", async () => {
    // A clock before every other test's buckets, so pruning here never touches theirs.
    const now = new Date("2026-11-01T00:00:00Z");
    const before = (seconds: number) => new Date(now.getTime() - seconds * 1000);
    const [idle, recent] = [`test:${randomUUID()}`, `test:${randomUUID()}`];
    for (let i = 0; i < 5; i++) await takeToken(db(), idle, LIMIT, before(BUCKET_REFILL_CEILING_SECONDS + 60));
    await takeToken(db(), recent, LIMIT, before(BUCKET_REFILL_CEILING_SECONDS - 60));
    expect(await pruneIdleBuckets(db(), now)).toBeGreaterThanOrEqual(1);
    expect(await bucketExists(db(), idle)).toBe(false);
    expect(await bucketExists(db(), recent)).toBe(true);
    const burst = await Promise.all(Array.from({ length: 8 }, () => takeToken(db(), idle, LIMIT, now)));
    expect(burst.filter((result) => result.allowed)).toHaveLength(LIMIT.capacity);
  });

  it("holds every limit in use to the refill ceiling, so pruning never frees a bucket early", () => {
    for (const limit of [API_TOKEN_RATE_LIMIT, DIRECTORY_PROBE_LIMIT, WEBHOOK_MANUAL_SEND_LIMIT, SCIM_PROBE_LIMIT, PEER_RATE_LIMIT]) {
      expect(limit.perSeconds).toBeLessThanOrEqual(BUCKET_REFILL_CEILING_SECONDS);
    }
  });
});
