import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { SESSION_ABSOLUTE_LIFETIME_MS, SESSION_IDLE_TIMEOUT_MS, SESSION_TOUCH_INTERVAL_MS } from "@/server/auth/session-policy";
import { checkSession, revokeMemberSessions, revokeSession } from "@/server/auth/sessions";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { ForbiddenError, UnauthorizedError } from "@/server/errors";
import { createMember, createSignedInMember, createTenant, TEST_PASSWORD } from "../support/factories";

const client = { ipAddress: "203.0.113.9", userAgent: "vitest-browser" };

describe("signing in with a password", () => {
  it("opens a session for the right organisation, username and password", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    const { sessionId } = await signInWithPassword(db(), { organisation: tenant.slug, login: member.username, password: TEST_PASSWORD }, client);

    const row = await db().session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(row.userId).toBe(member.id);
    expect(row.tenantId).toBe(tenant.id);
    expect(row.ipAddress).toBe("203.0.113.9");
    expect(row.userAgent).toBe("vitest-browser");
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(SESSION_ABSOLUTE_LIFETIME_MS);
  });

  it("accepts the email instead of the username, in any letter case", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id, { email: "Casey.Case@Example.test" });
    await expect(
      signInWithPassword(db(), { organisation: tenant.slug.toUpperCase(), login: "casey.case@example.TEST", password: TEST_PASSWORD }, client),
    ).resolves.toHaveProperty("sessionId");
    await expect(
      signInWithPassword(db(), { organisation: tenant.slug, login: member.username.toUpperCase(), password: TEST_PASSWORD }, client),
    ).resolves.toHaveProperty("sessionId");
  });

  it("stores passwords as argon2id with OWASP parameters", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    expect(member.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("rejects a wrong password, an unknown account and an unknown organisation with one indistinct error", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    const attempts = [
      { organisation: tenant.slug, login: member.username, password: `${TEST_PASSWORD}x` },
      { organisation: tenant.slug, login: "nobody-here", password: TEST_PASSWORD },
      { organisation: "no-such-org", login: member.username, password: TEST_PASSWORD },
    ];
    for (const attempt of attempts) {
      const error = await signInWithPassword(db(), attempt, client).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UnauthorizedError);
      expect((error as Error).message).toBe("invalid_credentials");
    }
    expect(await db().session.count({ where: { userId: member.id } })).toBe(0);
  });

  it("does not let a member of one organisation sign in to another", async () => {
    const home = await createTenant();
    const other = await createTenant();
    const member = await createMember(home.id);
    await expect(signInWithPassword(db(), { organisation: other.slug, login: member.username, password: TEST_PASSWORD }, client)).rejects.toThrow(
      "invalid_credentials",
    );
  });

  it("refuses a disabled or locked account even with the right password", async () => {
    const tenant = await createTenant();
    for (const state of [{ enabled: false }, { locked: true }]) {
      const member = await createMember(tenant.id, state);
      const error = await signInWithPassword(db(), { organisation: tenant.slug, login: member.username, password: TEST_PASSWORD }, client).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ForbiddenError);
      expect((error as Error).message).toBe("account_blocked");
    }
  });

  it("refuses an account that has no password yet", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id, { password: null });
    await expect(signInWithPassword(db(), { organisation: tenant.slug, login: member.username, password: "" }, client)).rejects.toThrow(
      "invalid_credentials",
    );
  });
});

describe("the per-request session check", () => {
  it("accepts a live session and returns its member and tenant", async () => {
    const tenant = await createTenant();
    const { member, sessionId } = await createSignedInMember(tenant.id, { role: "admin" });
    const check = await checkSession(db(), sessionId);
    expect(check).toEqual({
      live: true,
      session: {
        sessionId,
        member: { id: member.id, username: member.username, email: member.email, fullName: member.fullName, sysAdmin: 1 },
        tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
        passwordChangeRequired: false,
      },
    });
  });

  it("treats a revoked session as signed out on the very next check", async () => {
    const tenant = await createTenant();
    const { sessionId } = await createSignedInMember(tenant.id);
    expect((await checkSession(db(), sessionId)).live).toBe(true);
    expect(await revokeSession(db(), sessionId, "revoked")).toBe(true);
    expect(await checkSession(db(), sessionId)).toEqual({ live: false, reason: "revoked" });
  });

  it("revokes every open session of a member at once, and only theirs", async () => {
    const tenant = await createTenant();
    const { member, sessionId: first } = await createSignedInMember(tenant.id);
    const { createSession } = await import("@/server/auth/sessions");
    const second = await createSession(db(), { tenantId: tenant.id, userId: member.id });
    const { sessionId: bystander } = await createSignedInMember(tenant.id);

    expect(await revokeMemberSessions(db(), member.id, "revoked")).toBe(2);
    expect((await checkSession(db(), first)).live).toBe(false);
    expect((await checkSession(db(), second)).live).toBe(false);
    expect((await checkSession(db(), bystander)).live).toBe(true);
  });

  it("ends a session past its absolute lifetime or idle too long", async () => {
    const tenant = await createTenant();
    const { sessionId } = await createSignedInMember(tenant.id);
    const now = Date.now();
    expect(await checkSession(db(), sessionId, new Date(now + SESSION_IDLE_TIMEOUT_MS + 1000))).toEqual({ live: false, reason: "idle" });
    await db().session.update({ where: { id: sessionId }, data: { expiresAt: new Date(now - 1000) } });
    expect(await checkSession(db(), sessionId)).toEqual({ live: false, reason: "expired" });
  });

  it("signs out a member whose account was disabled, and revokes the session", async () => {
    const tenant = await createTenant();
    const { member, sessionId } = await createSignedInMember(tenant.id);
    await db().user.update({ where: { id: member.id }, data: { state: "disabled" } });
    expect(await checkSession(db(), sessionId)).toEqual({ live: false, reason: "account_blocked" });
    const row = await db().session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(row.revokedReason).toBe("account_blocked");
    // Every later request is told the same, not merely "revoked".
    expect(await checkSession(db(), sessionId)).toEqual({ live: false, reason: "account_blocked" });
    // Re-enabling does not bring the old session back.
    await db().user.update({ where: { id: member.id }, data: { state: "active" } });
    expect(await checkSession(db(), sessionId)).toEqual({ live: false, reason: "revoked" });
  });

  it("records activity at most once a minute", async () => {
    const tenant = await createTenant();
    const { sessionId } = await createSignedInMember(tenant.id);
    const before = await db().session.findUniqueOrThrow({ where: { id: sessionId } });
    await checkSession(db(), sessionId, new Date(before.lastSeenAt.getTime() + 1000));
    expect((await db().session.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt).toEqual(before.lastSeenAt);
    const later = new Date(before.lastSeenAt.getTime() + SESSION_TOUCH_INTERVAL_MS + 1000);
    await checkSession(db(), sessionId, later);
    expect((await db().session.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt).toEqual(later);
  });

  it("treats a missing, malformed or unknown session id as signed out", async () => {
    for (const sessionId of [null, "", "not-a-uuid", "7b0c1d5e-0000-4000-8000-000000000000"]) {
      expect(await checkSession(db(), sessionId)).toEqual({ live: false, reason: "unknown" });
    }
  });
});

describe("online status", () => {
  it("goes online at sign-in and offline when the last open session signs out", async () => {
    const { signOutSession } = await import("@/server/auth/sign-out-session");
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    const credentials = { organisation: tenant.slug, login: member.username, password: TEST_PASSWORD };
    const first = await signInWithPassword(db(), credentials, client);
    const second = await signInWithPassword(db(), credentials, client);
    const online = await db().user.findUniqueOrThrow({ where: { id: member.id } });
    expect(online.online).toBe(true);
    expect(online.onlineAt).toBeInstanceOf(Date);

    await signOutSession(db(), first.sessionId);
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).online).toBe(true);
    await signOutSession(db(), second.sessionId);
    const offline = await db().user.findUniqueOrThrow({ where: { id: member.id } });
    expect(offline.online).toBe(false);
    expect(offline.offlineAt).toBeInstanceOf(Date);
    expect((await db().session.findUniqueOrThrow({ where: { id: second.sessionId } })).revokedReason).toBe("signed_out");
  });
});
