import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { RATE_LIMITS } from "@/server/auth/rate-limits";
import { completeSignInChallenge, startSignInChallenge, CHALLENGE_MAX_ATTEMPTS } from "@/server/auth/mfa/sign-in-challenge";
import { totpCode } from "@/server/auth/mfa/totp";
import type { TSecurityPolicyInput } from "@/server/auth/security-policy-schemas";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant, TEST_PASSWORD } from "../support/factories";

// Issue 10, item 4: parallel bursts against the sign-in gate. Each test fires
// real parallel calls into the services and counts the checks that reached
// argon2id (or the code check): the attempt rows settled as failure or success.

type TTenant = Awaited<ReturnType<typeof createTenant>>;
const BURST = 60;
// Each test its own address: the per-address limit (30 failures in 10 minutes) is shared by the whole file.
let addresses = 0;
const freshClient = () => ({ ipAddress: `198.51.100.${(addresses += 1)}`, userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0" });

async function setPolicy(tenantId: bigint, values: Partial<TSecurityPolicyInput>) {
  await db().tenantSecurityPolicy.upsert({ where: { tenantId }, create: { tenantId, ...values }, update: values });
}

async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "ok",
    (error: unknown) => (error as Error).message,
  );
}

const signIn = (tenant: TTenant, login: string, password: string, from: ReturnType<typeof freshClient>) =>
  outcomeOf(signInWithPassword(db(), { organisation: tenant.slug, login, password }, from));

/** Attempts that got as far as the check (password hash or code): the rest were refused before it. */
async function checksOf(where: { userId: bigint } | { login: string; tenantId: bigint }) {
  const rows = await db().loginAttempt.groupBy({ by: ["result"], where, _count: true });
  const count = (result: string) => rows.find((row) => row.result === result)?._count ?? 0;
  return { checked: count("failure") + count("success"), pending: count("pending"), refused: count("rate_limited") + count("locked") };
}

describe("a parallel burst on one account", () => {
  it(`gets no more password checks than the per-account limit: ${BURST} wrong passwords at once`, async () => {
    const client = freshClient();
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    const outcomes = await Promise.all(Array.from({ length: BURST }, (_, index) => signIn(tenant, member.username, `wrong ${index}`, client)));
    expect(outcomes.filter((outcome) => outcome === "invalid_credentials")).toHaveLength(RATE_LIMITS.perAccount.attempts);
    expect(outcomes.filter((outcome) => outcome.startsWith("rate_limited:"))).toHaveLength(BURST - RATE_LIMITS.perAccount.attempts);
    expect(await checksOf({ userId: member.id })).toEqual({ checked: RATE_LIMITS.perAccount.attempts, pending: 0, refused: BURST - RATE_LIMITS.perAccount.attempts });
  });

  it("gets no more checks than the threshold when the threshold is lower, and none once the throttle runs", async () => {
    const client = freshClient();
    const tenant = await createTenant();
    await setPolicy(tenant.id, { lockoutThreshold: 3 });
    const member = await createMember(tenant.id);
    const outcomes = await Promise.all(Array.from({ length: BURST }, (_, index) => signIn(tenant, member.username, `wrong ${index}`, client)));
    expect((await checksOf({ userId: member.id })).checked).toBe(3);
    expect(outcomes.filter((outcome) => outcome.startsWith("account_locked:"))).not.toHaveLength(0);
    // A second burst while it runs: no check at all.
    await Promise.all(Array.from({ length: BURST }, (_, index) => signIn(tenant, member.username, `again ${index}`, client)));
    expect((await checksOf({ userId: member.id })).checked).toBe(3);
  });

  it("30 wrong + 1 right at once: the right one opens a session only if it was among the checks allowed, else it is answered as a wrong one", async () => {
    const client = freshClient();
    const tenant = await createTenant();
    await setPolicy(tenant.id, { lockoutThreshold: 3 });
    const member = await createMember(tenant.id);
    const passwords = [...Array.from({ length: 30 }, (_, index) => `wrong ${index}`), TEST_PASSWORD];
    const outcomes = await Promise.all(passwords.map((password) => signIn(tenant, member.username, password, client)));
    const right = outcomes.at(-1)!;
    const wrong = outcomes.slice(0, -1);
    const { checked } = await checksOf({ userId: member.id });
    expect(checked).toBeLessThanOrEqual(3);
    const sessions = await db().session.count({ where: { userId: member.id } });
    const rightWasChecked = (await db().loginAttempt.count({ where: { userId: member.id, result: "success" } })) === 1;
    expect(sessions).toBe(rightWasChecked ? 1 : 0);
    if (!rightWasChecked) expect(wrong.map((outcome) => outcome.split(":")[0])).toContain(right.split(":")[0]);
  });

  it("30 wrong + 1 right at once on a throttled account: the right one gets a wrong one's answer, none is checked, no session", async () => {
    const client = freshClient();
    const tenant = await createTenant();
    await setPolicy(tenant.id, { lockoutThreshold: 3 });
    const member = await createMember(tenant.id);
    for (let index = 0; index < 3; index += 1) await signIn(tenant, member.username, `first ${index}`, client);
    const passwords = [...Array.from({ length: 30 }, (_, index) => `wrong ${index}`), TEST_PASSWORD];
    const outcomes = await Promise.all(passwords.map((password) => signIn(tenant, member.username, password, client)));
    // The throttle's answer, or (once the refusals fill the address's quota) the address's limit: never anything else.
    expect(outcomes.every((outcome) => /^(account_locked|rate_limited):/.test(outcome))).toBe(true);
    expect(outcomes.slice(0, -1)).toContain(outcomes.at(-1));
    expect((await checksOf({ userId: member.id })).checked).toBe(3);
    expect(await db().session.count({ where: { userId: member.id } })).toBe(0);
  });

  it("is the same for a login that matches no account", async () => {
    const client = freshClient();
    const tenant = await createTenant();
    await Promise.all(Array.from({ length: BURST }, (_, index) => signIn(tenant, "nobody-at-all", `wrong ${index}`, client)));
    expect(await checksOf({ login: "nobody-at-all", tenantId: tenant.id })).toMatchObject({ checked: RATE_LIMITS.perAccount.attempts, pending: 0 });
  });

  it("holds the per-address limit across many accounts at once", async () => {
    const tenant = await createTenant();
    const attacker = { ipAddress: "192.0.2.150", userAgent: "curl/8.0" };
    await Promise.all(Array.from({ length: BURST }, (_, index) => signIn(tenant, `target-${index}`, "guess", attacker)));
    const checked = await db().loginAttempt.count({ where: { ipAddress: attacker.ipAddress, result: "failure" } });
    expect(checked).toBe(RATE_LIMITS.perAddress.attempts);
  });
});

describe("a parallel burst on the second factor", () => {
  it(`uses no more than the challenge's ${CHALLENGE_MAX_ATTEMPTS} tries: ${BURST} wrong codes at once`, async () => {
    const client = freshClient();
    const tenant = await createTenant();
    await setPolicy(tenant.id, { lockoutThreshold: 50 });
    const { member, sessionId } = await createSignedInMember(tenant.id);
    const caller = createCaller(await createContextForSessionId(sessionId, client));
    const { secret } = await caller.auth.mfa.start();
    await caller.auth.mfa.confirm({ code: totpCode(secret, new Date(Date.now() - 30_000)) });
    const now = new Date();
    const challenge = await startSignInChallenge(db(), { tenantId: tenant.id, userId: member.id, login: member.username, abnormal: [], passwordChangeRequired: false }, now);
    const right = totpCode(secret, now);
    const wrongCodes = Array.from({ length: BURST }, (_, index) => String(index).padStart(6, "0")).filter((code) => code !== right);
    await Promise.all(wrongCodes.map((code) => outcomeOf(completeSignInChallenge(db(), { challenge, code }, client, now))));
    const row = await db().signInChallenge.findFirstOrThrow({ where: { userId: member.id } });
    expect(row.attempts).toBeLessThanOrEqual(CHALLENGE_MAX_ATTEMPTS);
    expect(await db().loginAttempt.count({ where: { userId: member.id, reason: "wrong_mfa_code" } })).toBeLessThanOrEqual(CHALLENGE_MAX_ATTEMPTS);
    expect(await outcomeOf(completeSignInChallenge(db(), { challenge, code: right }, client, now))).not.toBe("ok");
  });
});

describe("a parallel burst on \"Confirm it's you\"", () => {
  it(`checks no more passwords than the per-account limit: ${BURST} wrong ones at once`, async () => {
    const client = freshClient();
    const tenant = await createTenant();
    const { member, sessionId } = await createSignedInMember(tenant.id);
    const caller = createCaller(await createContextForSessionId(sessionId, client));
    await Promise.all(Array.from({ length: BURST }, (_, index) => outcomeOf(caller.auth.stepUp({ method: "password", secret: `not it ${index}` }))));
    expect(await checksOf({ userId: member.id })).toMatchObject({ checked: RATE_LIMITS.perAccount.attempts, pending: 0 });
    // The member is not locked and their session lives on.
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).state).toBe("active");
    expect((await db().session.findUniqueOrThrow({ where: { id: sessionId } })).revokedAt).toBeNull();
  });
});
