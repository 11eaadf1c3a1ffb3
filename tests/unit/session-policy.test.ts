import { describe, expect, it } from "vitest";
import { SESSION_IDLE_TIMEOUT_MS, SESSION_MAX_ABSOLUTE_LIFETIME_MS, sessionEndReason } from "@/server/auth/session-policy";

const start = new Date("2026-01-01T08:00:00Z");
const MINUTE = 60_000;
const session = (overrides: Partial<Parameters<typeof sessionEndReason>[0]> = {}) => ({
  createdAt: start,
  lastSeenAt: start,
  expiresAt: new Date(start.getTime() + 12 * 3600_000),
  revokedAt: null,
  ...overrides,
});

describe("sessionEndReason", () => {
  it("is null for a fresh session", () => {
    expect(sessionEndReason(session(), new Date(start.getTime() + 1000))).toBeNull();
  });
  it("says revoked before anything else", () => {
    expect(sessionEndReason(session({ revokedAt: start, expiresAt: start }), start)).toBe("revoked");
  });
  it("ends at the absolute expiry, inclusive", () => {
    const s = session();
    expect(sessionEndReason(s, new Date(s.expiresAt.getTime() - 1))).not.toBe("expired");
    expect(sessionEndReason(s, s.expiresAt)).toBe("expired");
  });
  it("ends after the idle timeout without activity", () => {
    expect(sessionEndReason(session(), new Date(start.getTime() + SESSION_IDLE_TIMEOUT_MS - 1))).toBeNull();
    expect(sessionEndReason(session(), new Date(start.getTime() + SESSION_IDLE_TIMEOUT_MS))).toBe("idle");
  });
  it("uses the tenant's limits when given", () => {
    const limits = { idleTimeoutMinutes: 5, absoluteLifetimeHours: 2 };
    expect(sessionEndReason(session(), new Date(start.getTime() + 5 * MINUTE), limits)).toBe("idle");
    const active = session({ lastSeenAt: new Date(start.getTime() + 119 * MINUTE) });
    expect(sessionEndReason(active, new Date(start.getTime() + 120 * MINUTE - 1), limits)).toBeNull();
    // A lifetime shortened after the session opened ends it at the new limit, before its stored expiry.
    expect(sessionEndReason(active, new Date(start.getTime() + 120 * MINUTE), limits)).toBe("expired");
  });
  it("keeps the defaults and the cookie's lifetime within NIST's limits (1 h idle, 24 h in all)", () => {
    expect(SESSION_IDLE_TIMEOUT_MS).toBeLessThanOrEqual(3600_000);
    expect(SESSION_MAX_ABSOLUTE_LIFETIME_MS).toBe(24 * 3600_000);
  });
});
