import { describe, expect, it } from "vitest";
import { SESSION_IDLE_TIMEOUT_MS, sessionEndReason } from "@/server/auth/session-policy";

const start = new Date("2026-01-01T08:00:00Z");
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
  it("keeps the idle timeout within NIST's one hour", () => {
    expect(SESSION_IDLE_TIMEOUT_MS).toBeLessThanOrEqual(3600_000);
  });
});
