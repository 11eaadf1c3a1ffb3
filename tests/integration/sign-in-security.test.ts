import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { MAX_CONSECUTIVE_FAILURES } from "@/server/auth/lockout";
import { RATE_LIMITS } from "@/server/auth/rate-limits";
import { parseSignInError } from "@/server/auth/schemas";
import type { TSecurityPolicyInput } from "@/server/auth/security-policy-schemas";
import { checkSession } from "@/server/auth/sessions";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { deleteOldLoginAttempts } from "@/server/auth/delete-old-login-attempts";
import { createMember, createTenant, TEST_PASSWORD } from "../support/factories";

const MINUTE = 60 * 1000;
const client = { ipAddress: "198.51.100.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36" };
const otherDevice = { ipAddress: "203.0.113.50", userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1" };

type TTenant = Awaited<ReturnType<typeof createTenant>>;

async function setPolicy(tenantId: bigint, values: Partial<TSecurityPolicyInput>) {
  await db().tenantSecurityPolicy.upsert({ where: { tenantId }, create: { tenantId, ...values }, update: values });
}

/** Signs in and returns "ok" or the error code and detail the form receives. */
async function attempt(tenant: TTenant, login: string, password: string, options: { at?: Date; from?: typeof client } = {}) {
  try {
    const result = await signInWithPassword(db(), { organisation: tenant.slug, login, password }, options.from ?? client, options.at);
    return { outcome: "ok" as const, ...result };
  } catch (error) {
    const { code, detail } = parseSignInError((error as Error).message);
    return { outcome: code, detail };
  }
}

const historyOf = async (userId: bigint) =>
  db().loginAttempt.findMany({ where: { userId }, orderBy: { id: "asc" }, select: { result: true, reason: true, abnormal: true, abnormalReason: true, lockoutUntil: true } });

describe("throttle after failed sign-ins", () => {
  it("throttles at the threshold without locking the member or ending their sessions, refuses the right password like a wrong one, and says until when", async () => {
    const tenant = await createTenant();
    await setPolicy(tenant.id, { lockoutThreshold: 3, lockoutWindowMinutes: 15, lockoutDurationMinutes: 15 });
    const member = await createMember(tenant.id);
    const { sessionId } = await signInWithPassword(db(), { organisation: tenant.slug, login: member.username, password: TEST_PASSWORD }, client);
    const now = new Date();

    expect((await attempt(tenant, member.username, "wrong one", { at: now, from: otherDevice })).outcome).toBe("invalid_credentials");
    expect((await attempt(tenant, member.username, "wrong two", { at: now, from: otherDevice })).outcome).toBe("invalid_credentials");
    const third = await attempt(tenant, member.username, "wrong three", { at: now, from: otherDevice });
    expect(third.outcome).toBe("account_locked");
    expect(new Date(third.detail!).getTime()).toBe(now.getTime() + 15 * MINUTE);

    // Not the lifecycle's lock: the member stays active and their session lives on.
    expect(await db().user.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({ state: "active", locked: false, lockEndAt: null });
    expect((await checkSession(db(), sessionId)).live).toBe(true);

    // The right password changes nothing while throttled, gets the wrong one's answer, and is never checked.
    const wrong = await attempt(tenant, member.username, "wrong four", { from: otherDevice });
    expect(await attempt(tenant, member.username, TEST_PASSWORD, { from: otherDevice })).toEqual(wrong);
    expect(wrong).toMatchObject({ outcome: "account_locked", detail: third.detail });
    expect((await historyOf(member.id)).map((row) => `${row.result}:${row.reason}`)).toEqual([
      "success:signed_in",
      "failure:wrong_password",
      "failure:wrong_password",
      "failure:wrong_password",
      "locked:locked_out",
      "locked:locked_out",
    ]);
    expect(await db().session.count({ where: { userId: member.id } })).toBe(1);
  });

  it("ends by itself when its time is up, after which the member signs in", async () => {
    const tenant = await createTenant();
    await setPolicy(tenant.id, { lockoutThreshold: 2, lockoutDurationMinutes: 5 });
    const member = await createMember(tenant.id);
    // The failures happened 20 minutes ago: the 5-minute throttle ended 15 minutes ago.
    const then = new Date(Date.now() - 20 * MINUTE);
    await attempt(tenant, member.username, "wrong", { at: then });
    expect((await attempt(tenant, member.username, "wrong", { at: then })).outcome).toBe("account_locked");
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).state).toBe("active");
    expect((await attempt(tenant, member.username, TEST_PASSWORD)).outcome).toBe("ok");
  });

  it("makes each repeat within a day last longer (doubling, capped)", async () => {
    const tenant = await createTenant();
    await setPolicy(tenant.id, { lockoutThreshold: 1, lockoutDurationMinutes: 10, lockoutGrowthFactor: 2, lockoutMaxDurationMinutes: 30 });
    const member = await createMember(tenant.id);
    const durations: number[] = [];
    let at = new Date(Date.now() - 3 * 60 * MINUTE);
    for (let round = 0; round < 3; round += 1) {
      const result = await attempt(tenant, member.username, "wrong", { at });
      expect(result.outcome).toBe("account_locked");
      durations.push((new Date(result.detail!).getTime() - at.getTime()) / MINUTE);
      // The next failure comes after this throttle ended.
      at = new Date(new Date(result.detail!).getTime() + MINUTE);
    }
    expect(durations).toEqual([10, 20, 30]);
  });

  it("locks out a login that matches no account exactly as it would a real one", async () => {
    const tenant = await createTenant();
    await setPolicy(tenant.id, { lockoutThreshold: 2 });
    const member = await createMember(tenant.id);
    const now = new Date();
    const real = [await attempt(tenant, member.username, "wrong", { at: now }), await attempt(tenant, member.username, "wrong", { at: now })];
    const ghost = [await attempt(tenant, "nobody-here", "wrong", { at: now }), await attempt(tenant, "nobody-here", "wrong", { at: now })];
    expect(ghost).toEqual(real);
    expect(ghost[1]).toMatchObject({ outcome: "account_locked" });
    expect(await attempt(tenant, "NOBODY-HERE", "anything", { at: now })).toEqual(await attempt(tenant, member.username, "anything", { at: now }));
  });

  it("never allows more than 100 consecutive failures, however slowly they come", async () => {
    const tenant = await createTenant();
    await setPolicy(tenant.id, { lockoutThreshold: 100, lockoutWindowMinutes: 1 });
    const member = await createMember(tenant.id);
    // 99 earlier failures, one an hour: never 100 within the window, nor a success between them.
    await db().$executeRaw`
      INSERT INTO login_attempts (tenant_id, user_id, login, result, reason, created_at)
      SELECT ${tenant.id}, ${member.id}, ${member.username}, 'failure', 'wrong_password', now() - make_interval(hours => n)
      FROM generate_series(1, ${MAX_CONSECUTIVE_FAILURES - 1}) AS n`;
    expect((await attempt(tenant, member.username, "wrong")).outcome).toBe("account_locked");
  });

  it("does not count failures that a success came after towards the consecutive cap", async () => {
    const tenant = await createTenant();
    await setPolicy(tenant.id, { lockoutThreshold: 100, lockoutWindowMinutes: 1 });
    const member = await createMember(tenant.id);
    await db().$executeRaw`
      INSERT INTO login_attempts (tenant_id, user_id, login, result, reason, created_at)
      SELECT ${tenant.id}, ${member.id}, ${member.username}, CASE WHEN n = 50 THEN 'success' ELSE 'failure' END, 'x', now() - make_interval(hours => n)
      FROM generate_series(1, ${MAX_CONSECUTIVE_FAILURES - 1}) AS n`;
    expect((await attempt(tenant, member.username, "wrong")).outcome).toBe("invalid_credentials");
  });
});

describe("rate limits", () => {
  it("brakes a burst on one account without hashing, and says when to try again", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    const now = new Date();
    for (let index = 0; index < RATE_LIMITS.perAccount.attempts; index += 1) {
      expect((await attempt(tenant, member.username, "wrong", { at: now })).outcome).toBe("invalid_credentials");
    }
    expect(await attempt(tenant, member.username, TEST_PASSWORD, { at: now })).toEqual({ outcome: "rate_limited", detail: "1" });
    // The same for a login that matches no account.
    for (let index = 0; index < RATE_LIMITS.perAccount.attempts; index += 1) await attempt(tenant, "ghost", "wrong", { at: now });
    expect(await attempt(tenant, "ghost", "wrong", { at: now })).toEqual({ outcome: "rate_limited", detail: "1" });
    // A minute later the member may try again.
    expect((await attempt(tenant, member.username, TEST_PASSWORD, { at: new Date(now.getTime() + MINUTE + 1000) })).outcome).toBe("ok");
    expect((await historyOf(member.id)).map((row) => row.result)).toEqual(["failure", "failure", "failure", "failure", "failure", "rate_limited", "success"]);
  });

  it("limits failed attempts from one address across accounts and organisations; other addresses are unaffected", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const member = await createMember(tenant.id);
    const attacker = { ipAddress: "192.0.2.99", userAgent: "curl/8.0" };
    const now = new Date();
    for (let index = 0; index < RATE_LIMITS.perAddress.attempts; index += 1) {
      await attempt(index % 2 ? tenant : other, `user-${index}`, "guess", { at: now, from: attacker });
    }
    const limited = await attempt(tenant, member.username, TEST_PASSWORD, { at: now, from: attacker });
    expect(limited).toEqual({ outcome: "rate_limited", detail: String(RATE_LIMITS.perAddress.windowMinutes) });
    expect((await attempt(tenant, member.username, TEST_PASSWORD, { at: now })).outcome).toBe("ok");
  });
});

describe("abnormal sign-in", () => {
  it("flags a new device (browser family + network unseen for 90 days), but not a first sign-in or a known device", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    await attempt(tenant, member.username, TEST_PASSWORD);
    // Same browser family, another address in the same /24, a newer version: the same device.
    await attempt(tenant, member.username, TEST_PASSWORD, { from: { ipAddress: "198.51.100.200", userAgent: client.userAgent.replace("131.0", "140.0") } });
    await attempt(tenant, member.username, TEST_PASSWORD, { from: otherDevice });
    expect((await historyOf(member.id)).map((row) => [row.result, row.abnormal, row.abnormalReason])).toEqual([
      ["success", false, null],
      ["success", false, null],
      ["success", true, "new_device"],
    ]);
  });

  it("flags unusually frequent sign-ins", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    await db().$executeRaw`
      INSERT INTO login_attempts (tenant_id, user_id, login, network, device, result, reason, created_at)
      SELECT ${tenant.id}, ${member.id}, ${member.username}, '198.51.100.0/24', 'Chrome on Linux', 'success', 'signed_in', now() - make_interval(mins => n)
      FROM generate_series(1, 10) AS n`;
    await attempt(tenant, member.username, TEST_PASSWORD);
    expect((await historyOf(member.id)).at(-1)).toMatchObject({ abnormal: true, abnormalReason: "unusual_frequency" });
  });

  it("refuses an abnormal sign-in and locks the account in real time when the policy says so", async () => {
    const tenant = await createTenant();
    await setPolicy(tenant.id, { abnormalLoginAction: "lock", lockoutDurationMinutes: 30 });
    const member = await createMember(tenant.id);
    const first = await attempt(tenant, member.username, TEST_PASSWORD);
    expect(first.outcome).toBe("ok");
    const now = new Date();
    const refused = await attempt(tenant, member.username, TEST_PASSWORD, { from: otherDevice, at: now });
    expect(refused).toEqual({ outcome: "abnormal_blocked", detail: new Date(now.getTime() + 30 * MINUTE).toISOString() });
    const locked = await db().user.findUniqueOrThrow({ where: { id: member.id } });
    expect(locked.state).toBe("locked");
    expect(locked.lockReason).toContain("new device");
    // Locking ended the session the member had opened from their usual device.
    expect((await checkSession(db(), (first as { sessionId: string }).sessionId)).live).toBe(false);
    expect((await historyOf(member.id)).at(-1)).toMatchObject({ result: "blocked", reason: "abnormal_login", abnormal: true });
  });
});

describe("signing in by mobile number", () => {
  it("accepts the mobile in international form, however it is spaced", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id, { mobile: "+447400123456" });
    expect((await attempt(tenant, "+44 7400 123456", TEST_PASSWORD)).outcome).toBe("ok");
    expect((await attempt(tenant, "0044-7400-123456", TEST_PASSWORD)).outcome).toBe("ok");
    expect((await attempt(tenant, "07400 123456", TEST_PASSWORD)).outcome).toBe("invalid_credentials");
    expect((await historyOf(member.id)).map((row) => row.result)).toEqual(["success", "success"]);
  });
});

describe("login history", () => {
  it("records every attempt with time, address, device, result and reason, and unknown organisations too", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    await attempt(tenant, member.email.toUpperCase(), "wrong");
    await attempt(tenant, member.username, TEST_PASSWORD);
    const rows = await db().loginAttempt.findMany({ where: { userId: member.id }, orderBy: { id: "asc" } });
    expect(rows.map((row) => ({ login: row.login, ip: row.ipAddress, network: row.network, device: row.device, result: row.result, reason: row.reason }))).toEqual([
      { login: member.email.toUpperCase(), ip: "198.51.100.7", network: "198.51.100.0/24", device: "Chrome on Linux", result: "failure", reason: "wrong_password" },
      { login: member.username, ip: "198.51.100.7", network: "198.51.100.0/24", device: "Chrome on Linux", result: "success", reason: "signed_in" },
    ]);

    await signInWithPassword(db(), { organisation: "no-such-organisation", login: "someone", password: "x" }, client).catch(() => undefined);
    expect(await db().loginAttempt.findFirst({ where: { login: "someone", tenantId: null } })).toMatchObject({ result: "failure", reason: "unknown_organisation", userId: null });
  });

  it("forgets attempts older than 400 days", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    await db().loginAttempt.createMany({
      data: [401, 399].map((days) => ({ tenantId: tenant.id, userId: member.id, login: "old", result: "success", reason: "signed_in", createdAt: new Date(Date.now() - days * 24 * 60 * MINUTE) })),
    });
    expect(await deleteOldLoginAttempts(db())).toBeGreaterThanOrEqual(1);
    expect((await db().loginAttempt.findMany({ where: { userId: member.id } })).length).toBe(1);
  });
});
