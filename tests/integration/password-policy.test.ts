import { hash } from "@node-rs/argon2";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { changePassword } from "@/server/auth/change-password";
import { commonPasswordCount } from "@/server/auth/common-passwords";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { checkPasswordStrength, PASSWORD_PROBLEM } from "@/server/auth/password-policy";
import { checkSession } from "@/server/auth/sessions";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { ValidationError } from "@/server/errors";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createTenant, TEST_PASSWORD } from "../support/factories";

const DAY = 24 * 60 * 60 * 1000;
const rules = { minLength: 15, personal: ["Ada", "Lovelace", "Ada Lovelace", "adal", "ada.lovelace@example.test"] };

async function setPolicy(tenantId: bigint, values: { passwordHistoryCount?: number; passwordExpiryDays?: number | null; passwordMinLength?: number; mfaRequirement?: string }) {
  await db().tenantSecurityPolicy.upsert({ where: { tenantId }, create: { tenantId, ...values }, update: values });
}

async function signedIn(tenant: { slug: string }, login: string, password = TEST_PASSWORD) {
  return signInWithPassword(db(), { organisation: tenant.slug, login, password }, { ipAddress: "198.51.100.1", userAgent: "vitest" });
}

const actorFor = (member: { id: bigint; tenantId: bigint }, sessionId: string) => ({ tenantId: member.tenantId, memberId: member.id, sessionId });

async function problemsOfChange(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ValidationError);
  return Object.values((error as ValidationError).fieldErrors).flat();
}

describe("the password policy (NIST SP 800-63B-4)", () => {
  it("ships at least 100,000 common or breached passwords", () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(100_000);
  });

  it("asks for the tenant's minimum length, counting Unicode characters, and no composition", async () => {
    expect(await checkPasswordStrength("fourteen chars", rules)).toEqual(["At least 15 characters"]);
    expect(await checkPasswordStrength("violet tram 47 orbit", rules)).toEqual([]);
    expect(await checkPasswordStrength("żółw płynie wolno", rules)).toEqual([]);
    // Eight emoji are eight characters (16 UTF-16 units): enough where MFA allows 8, not where 15 is needed.
    const emoji = "🐢🐇🦊🦉🐝🦋🐙🦀";
    expect(await checkPasswordStrength(emoji, { ...rules, minLength: 8 })).toEqual([]);
    expect(await checkPasswordStrength(emoji, rules)).toEqual(["At least 15 characters"]);
    expect(await checkPasswordStrength("x".repeat(257), rules)).toContain("At most 256 characters");
  });

  it("refuses common and breached passwords in any letter case, and repetitive or sequential ones", async () => {
    for (const common of ["1qaz2wsx3edc4rfv", "PasswordPassword", "QwertyuiopAsdfghjkl"]) {
      expect(await checkPasswordStrength(common, rules)).toEqual([PASSWORD_PROBLEM.common]);
    }
    for (const dull of ["aaaaaaaaaaaaaaaa", "abcdefghijklmnopq", "98765432109876"]) {
      expect(await checkPasswordStrength(dull, { ...rules, minLength: 8 })).toEqual([PASSWORD_PROBLEM.repetitive]);
    }
  });

  it("refuses passwords built from the member's own name, username or email", async () => {
    for (const personal of ["ada lovelace forever", "my name is LOVELACE ok", "adal-adal-adal-adal", "ada.lovelace is great"]) {
      expect(await checkPasswordStrength(personal, rules)).toEqual([PASSWORD_PROBLEM.personal]);
    }
  });
});

describe("changing a password", () => {
  it("needs the current password, refuses the last N passwords, and keeps only N in the history", async () => {
    const tenant = await createTenant();
    await setPolicy(tenant.id, { passwordHistoryCount: 2 });
    const member = await createMember(tenant.id);
    const { sessionId } = await signedIn(tenant, member.username);
    const actor = actorFor(member, sessionId);
    const passwords = [TEST_PASSWORD, "first new passphrase here", "second new passphrase here", "third new passphrase here"];

    expect(await problemsOfChange(changePassword(db(), actor, { currentPassword: "not it", newPassword: passwords[1]!, confirmation: passwords[1]! }))).toEqual([
      "Not your current password",
    ]);
    expect(
      await problemsOfChange(changePassword(db(), actor, { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD, confirmation: TEST_PASSWORD })),
    ).toEqual([PASSWORD_PROBLEM.reused]);
    for (let index = 1; index < passwords.length; index += 1) {
      await changePassword(db(), actor, { currentPassword: passwords[index - 1]!, newPassword: passwords[index]!, confirmation: passwords[index]! });
    }
    // History 2: the two before the current one are refused, the oldest is allowed again.
    for (const reused of [passwords[1]!, passwords[2]!]) {
      expect(await problemsOfChange(changePassword(db(), actor, { currentPassword: passwords[3]!, newPassword: reused, confirmation: reused }))).toEqual([
        PASSWORD_PROBLEM.reused,
      ]);
    }
    expect(await db().passwordHistory.count({ where: { userId: member.id } })).toBe(2);
    await changePassword(db(), actor, { currentPassword: passwords[3]!, newPassword: TEST_PASSWORD, confirmation: TEST_PASSWORD });

    const audit = await db().auditEvent.findMany({ where: { targetId: member.id, action: "member.password_changed" } });
    expect(audit).toHaveLength(4);
    expect(JSON.stringify(audit.map((event) => event.changes))).not.toContain("passphrase");
  });

  it("sets the expiry from the policy and ends the member's other sessions", async () => {
    const tenant = await createTenant();
    await setPolicy(tenant.id, { passwordExpiryDays: 90 });
    const member = await createMember(tenant.id);
    const here = await signedIn(tenant, member.username);
    const elsewhere = await signedIn(tenant, member.username);
    const now = new Date();
    const result = await changePassword(db(), actorFor(member, here.sessionId), {
      currentPassword: TEST_PASSWORD,
      newPassword: "a fresh long passphrase",
      confirmation: "a fresh long passphrase",
    }, now);
    expect(result.passwordExpiresAt?.getTime()).toBe(now.getTime() + 90 * DAY);
    expect((await checkSession(db(), here.sessionId)).live).toBe(true);
    expect(await checkSession(db(), elsewhere.sessionId)).toEqual({ live: false, reason: "password_changed" });
    expect((await signedIn(tenant, member.username, "a fresh long passphrase")).passwordChangeRequired).toBe(false);
  });
});

describe("weak or expired passwords force a change at sign-in", () => {
  it("opens a session confined to changing the password, refused by every procedure, until it is changed", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id, { password: "passwordpassword" });
    const { sessionId, passwordChangeRequired } = await signedIn(tenant, member.username, "passwordpassword");
    expect(passwordChangeRequired).toBe(true);

    expect(await checkSession(db(), sessionId)).toEqual({ live: false, reason: "password_change_required" });
    expect((await checkSession(db(), sessionId, new Date(), { allowPasswordChange: true })).live).toBe(true);
    const caller = createCaller(await createContextForSessionId(sessionId));
    const refused = await caller.me.get().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("UNAUTHORIZED");

    await changePassword(db(), actorFor(member, sessionId), { currentPassword: "passwordpassword", newPassword: "a much better passphrase", confirmation: "a much better passphrase" });
    expect((await checkSession(db(), sessionId)).live).toBe(true);
    await expect(createCaller(await createContextForSessionId(sessionId)).me.get()).resolves.toMatchObject({ username: member.username });
  });

  it("treats an expired password the same way", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    await db().user.update({ where: { id: member.id }, data: { passwordExpiresAt: new Date(Date.now() - DAY) } });
    const { sessionId, passwordChangeRequired } = await signedIn(tenant, member.username);
    expect(passwordChangeRequired).toBe(true);
    expect(await checkSession(db(), sessionId)).toEqual({ live: false, reason: "password_change_required" });
  });

  it("judges weakness by the tenant's current minimum", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id, { password: "violet tram 47 orbit" });
    expect((await signedIn(tenant, member.username, "violet tram 47 orbit")).passwordChangeRequired).toBe(false);
    await setPolicy(tenant.id, { passwordMinLength: 24 });
    expect((await signedIn(tenant, member.username, "violet tram 47 orbit")).passwordChangeRequired).toBe(true);
  });
});

describe("argon2id", () => {
  it("stores OWASP parameters (m=19 MiB, t=2, p=1) and verifies only the right password", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(stored, "correct horse battery stapLe")).toBe(false);
  });

  it("matches a password however its accents were composed (NFKC)", async () => {
    const stored = await hashPassword("crème brûlée every sunday");
    expect(await verifyPassword(stored, "cre\u0300me bru\u0302le\u0301e every sunday")).toBe(true);
  });

  it("re-hashes a weaker stored hash with today's parameters at sign-in", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    const weak = await hash(TEST_PASSWORD, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await db().user.update({ where: { id: member.id }, data: { passwordHash: weak } });
    await signedIn(tenant, member.username);
    const rehashed = (await db().user.findUniqueOrThrow({ where: { id: member.id } })).passwordHash!;
    expect(rehashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(rehashed, TEST_PASSWORD)).toBe(true);
  });
});
