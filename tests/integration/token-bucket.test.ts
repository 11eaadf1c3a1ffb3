import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { bucketExists, takeToken } from "@/server/rate-limits/token-bucket";

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
