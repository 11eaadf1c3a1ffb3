import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { recoveryCodeHash } from "@/server/auth/mfa/recovery-codes";
import { openTotpSecret, sealTotpSecret } from "@/server/shared/secret-box";
import { confirmMfaEnrolment, startMfaEnrolment } from "@/server/auth/mfa/enrol-mfa";
import { completeSignInChallenge, startSignInChallenge, CHALLENGE_MAX_ATTEMPTS } from "@/server/auth/mfa/sign-in-challenge";
import { base32Decode, base32Encode, hotp, matchTotpStep, totpCode, totpStep, TOTP_PERIOD_SECONDS } from "@/server/auth/mfa/totp";
import { parseSignInError } from "@/server/auth/schemas";
import { checkSession } from "@/server/auth/sessions";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createSignedInMember, createTenant, TEST_PASSWORD } from "../support/factories";

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;
const client = { ipAddress: "198.51.100.20", userAgent: "vitest" };
const callerFor = async (sessionId: string) => createCaller(await createContextForSessionId(sessionId, client));

/** A member who enrolled through the procedures, with the secret their app holds and their recovery codes. */
async function enrolledMember(options: { role?: "member" | "admin" } = {}) {
  const tenant = await createTenant();
  const { member, sessionId } = await createSignedInMember(tenant.id, { role: options.role ?? "member" });
  const caller = await callerFor(sessionId);
  const { secret } = await caller.auth.mfa.start();
  // The code of the step before: the step of "now" stays unspent for the tests.
  const { recoveryCodes } = await caller.auth.mfa.confirm({ code: totpCode(secret, new Date(Date.now() - STEP_MS)) });
  // As if enrolled long ago: no step spent yet.
  await db().memberMfa.update({ where: { userId: member.id }, data: { lastUsedStep: null } });
  return { tenant, member, sessionId, caller, secret, recoveryCodes };
}

async function challengeFor(member: { id: bigint; tenantId: bigint; username: string }, now = new Date()) {
  return startSignInChallenge(db(), { tenantId: member.tenantId, userId: member.id, login: member.username, abnormal: [], passwordChangeRequired: false }, now);
}

async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "ok",
    (error: unknown) => (error as Error).message,
  );
}

describe("TOTP (RFC 6238 on RFC 4226)", () => {
  it("matches the RFC 4226 HOTP test vectors", () => {
    const key = Buffer.from("12345678901234567890");
    const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    expect(expected.map((_, counter) => hotp(key, BigInt(counter)))).toEqual(expected);
  });

  it("matches the RFC 6238 test vectors for SHA-1, SHA-256 and SHA-512", () => {
    const keys = {
      sha1: "12345678901234567890",
      sha256: "12345678901234567890123456789012",
      sha512: "1234567890123456789012345678901234567890123456789012345678901234",
    } as const;
    const vectors: [number, string, string, string][] = [
      [59, "94287082", "46119246", "90693936"],
      [1111111109, "07081804", "68084774", "25091201"],
      [1111111111, "14050471", "67062674", "99943326"],
      [1234567890, "89005924", "91819424", "93441116"],
      [2000000000, "69279037", "90698825", "38618901"],
      [20000000000, "65353130", "77737706", "47863826"],
    ];
    for (const [seconds, sha1, sha256, sha512] of vectors) {
      const at = new Date(seconds * 1000);
      const code = (algorithm: keyof typeof keys) => totpCode(base32Encode(Buffer.from(keys[algorithm])), at, { digits: 8, algorithm });
      expect([code("sha1"), code("sha256"), code("sha512")]).toEqual([sha1, sha256, sha512]);
    }
  });

  it("round-trips base32 and reads it as people copy it", () => {
    const bytes = Buffer.from("any secret bytes, 20");
    const encoded = base32Encode(bytes);
    expect(base32Decode(encoded)).toEqual(bytes);
    expect(base32Decode(encoded.toLowerCase().replace(/(.{4})/g, "$1 "))).toEqual(bytes);
    expect(() => base32Decode("not base32!")).toThrow();
  });

  it("accepts the codes of one step either side of now and no further, and never a step at or before the last used one", () => {
    const secret = base32Encode(Buffer.from("12345678901234567890"));
    const now = new Date(1_700_000_015_000);
    const step = totpStep(now);
    const codeAt = (offset: number) => totpCode(secret, new Date(now.getTime() + offset * STEP_MS));
    expect(matchTotpStep(secret, codeAt(0), now, null)).toBe(step);
    expect(matchTotpStep(secret, codeAt(-1), now, null)).toBe(step - 1n);
    expect(matchTotpStep(secret, codeAt(1), now, null)).toBe(step + 1n);
    expect(matchTotpStep(secret, codeAt(-2), now, null)).toBeNull();
    expect(matchTotpStep(secret, codeAt(2), now, null)).toBeNull();
    expect(matchTotpStep(secret, `${codeAt(0).slice(0, 3)} ${codeAt(0).slice(3)}`, now, null)).toBe(step);
    // Replay: the step already used, or an earlier one, is refused.
    expect(matchTotpStep(secret, codeAt(0), now, step)).toBeNull();
    expect(matchTotpStep(secret, codeAt(-1), now, step - 1n)).toBeNull();
    expect(matchTotpStep(secret, codeAt(1), now, step)).toBe(step + 1n);
  });
});

describe("enrolment", () => {
  it("stores the secret encrypted, bound to its member, and turns MFA on only with a right first code", async () => {
    const tenant = await createTenant({ name: "Acme: Europe" });
    const { member, sessionId } = await createSignedInMember(tenant.id);
    const caller = await callerFor(sessionId);
    expect(await caller.auth.mfa.status()).toMatchObject({ enabled: false, required: false, recoveryCodesLeft: 0 });

    const started = await caller.auth.mfa.start();
    expect(started.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(started.otpauthUri).toBe(
      `otpauth://totp/Acme%20%20Europe:${encodeURIComponent(member.username)}?secret=${started.secret}&issuer=Acme++Europe&algorithm=SHA1&digits=6&period=30`,
    );
    expect(started.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(started.qrCode.split(",")[1]!, "base64").toString()).toContain("<svg");
    const row = await db().memberMfa.findUniqueOrThrow({ where: { userId: member.id } });
    expect(row.enabledAt).toBeNull();
    expect(row.secretEncrypted).not.toContain(started.secret);
    expect(openTotpSecret(row.secretEncrypted, member.id)).toBe(started.secret);
    expect(() => openTotpSecret(row.secretEncrypted, member.id + 1n)).toThrow();
    // One character of the sealed value changed (in the middle, where every bit counts; the last one may carry padding bits).
    const sealed = sealTotpSecret(started.secret, member.id);
    const tampered = `${sealed.slice(0, 8)}${sealed[8] === "A" ? "B" : "A"}${sealed.slice(9)}`;
    expect(() => openTotpSecret(tampered, member.id)).toThrow();

    await expect(caller.auth.mfa.confirm({ code: "000000" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const { recoveryCodes } = await caller.auth.mfa.confirm({ code: totpCode(started.secret, new Date()) });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
    const stored = await db().mfaRecoveryCode.findMany({ where: { userId: member.id }, select: { codeHash: true } });
    expect(stored.map((code) => code.codeHash).sort()).toEqual(recoveryCodes.map(recoveryCodeHash).sort());
    expect(await caller.auth.mfa.status()).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    expect((await db().auditEvent.findMany({ where: { targetId: member.id }, select: { action: true } })).map((event) => event.action)).toContain("member.mfa_enabled");
    // A second enrolment would silently replace the app the member relies on.
    await expect(caller.auth.mfa.start()).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("regenerates recovery codes (the old ones stop working) and removes MFA unless the policy requires it", async () => {
    const { member, caller, recoveryCodes, tenant } = await enrolledMember({ role: "admin" });
    const { recoveryCodes: fresh } = await caller.auth.mfa.regenerateRecoveryCodes();
    expect(fresh).toHaveLength(10);
    expect(fresh.some((code) => recoveryCodes.includes(code))).toBe(false);
    expect(await outcomeOf(completeSignInChallenge(db(), { challenge: await challengeFor(member), code: recoveryCodes[0]! }, client))).toMatch(/^mfa_wrong_code/);
    expect(await outcomeOf(completeSignInChallenge(db(), { challenge: await challengeFor(member), code: fresh[0]! }, client))).toBe("ok");

    await db().tenantSecurityPolicy.create({ data: { tenantId: tenant.id, mfaRequirement: "admins" } });
    expect(await caller.auth.mfa.status()).toMatchObject({ enabled: true, required: true });
    await expect(caller.auth.mfa.remove()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await db().tenantSecurityPolicy.update({ where: { tenantId: tenant.id }, data: { mfaRequirement: "none" } });
    await caller.auth.mfa.remove();
    expect(await db().memberMfa.count({ where: { userId: member.id } })).toBe(0);
    expect(await db().mfaRecoveryCode.count({ where: { userId: member.id } })).toBe(0);
    const actions = (await db().auditEvent.findMany({ where: { targetId: member.id }, orderBy: { id: "asc" }, select: { action: true } })).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(["member.mfa_enabled", "member.mfa_recovery_codes_regenerated", "member.mfa_removed"]));
  });
});

describe("signing in with MFA", () => {
  it("answers the right password with a challenge instead of a session, and the code opens it", async () => {
    const { member, tenant, secret } = await enrolledMember();
    const sessionsBefore = await db().session.count({ where: { userId: member.id } });
    const error = await signInWithPassword(db(), { organisation: tenant.slug, login: member.username, password: TEST_PASSWORD }, client).catch((caught: unknown) => caught);
    const { code, detail } = parseSignInError((error as Error).message);
    expect(code).toBe("mfa_required");
    expect(detail).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await db().session.count({ where: { userId: member.id } })).toBe(sessionsBefore);
    // A wrong password says nothing about MFA.
    const wrong = await signInWithPassword(db(), { organisation: tenant.slug, login: member.username, password: "wrong" }, client).catch((caught: unknown) => caught);
    expect((wrong as Error).message).toBe("invalid_credentials");

    const { sessionId } = await completeSignInChallenge(db(), { challenge: detail!, code: totpCode(secret, new Date()) }, client);
    const check = await checkSession(db(), sessionId);
    expect(check.live).toBe(true);
    expect((await db().session.findUniqueOrThrow({ where: { id: sessionId } })).steppedUpAt).not.toBeNull();
    // The history's success row names the session it opened ("This browser" in /me, issue 11 item 16).
    const success = await db().loginAttempt.findFirstOrThrow({ where: { userId: member.id, result: "success" } });
    expect(success.sessionId).toBe(sessionId);
  });

  it("confines a member the policy requires MFA of, and who has none, to setting it up; the password change comes first", async () => {
    const tenant = await createTenant();
    await db().tenantSecurityPolicy.create({ data: { tenantId: tenant.id, mfaRequirement: "admins" } });
    const { sessionId: memberSession } = await createSignedInMember(tenant.id, { role: "member" });
    const { member: admin, sessionId } = await createSignedInMember(tenant.id, { role: "admin" });
    expect((await checkSession(db(), memberSession)).live).toBe(true);
    expect(await checkSession(db(), sessionId)).toEqual({ live: false, reason: "mfa_enrolment_required" });
    expect((await checkSession(db(), sessionId, new Date(), { allowMfaEnrolment: true })).live).toBe(true);
    // The API refuses the confined session.
    const error = await (await callerFor(sessionId)).me.get().catch((caught: unknown) => caught);
    expect((error as TRPCError).code).toBe("UNAUTHORIZED");

    await db().user.update({ where: { id: admin.id }, data: { passwordChangeRequired: true } });
    expect(await checkSession(db(), sessionId, new Date(), { allowMfaEnrolment: true })).toEqual({ live: false, reason: "password_change_required" });
    expect((await checkSession(db(), sessionId, new Date(), { allowPasswordChange: true })).live).toBe(true);
    await db().user.update({ where: { id: admin.id }, data: { passwordChangeRequired: false } });

    // Enrolled (as the enrolment page's actions do it): the session opens everything.
    const actor = { tenantId: tenant.id, memberId: admin.id, sessionId };
    const { secret } = await startMfaEnrolment(db(), actor);
    await confirmMfaEnrolment(db(), actor, { code: totpCode(secret, new Date()) });
    expect((await checkSession(db(), sessionId)).live).toBe(true);
  });
});

describe("the sign-in code step", () => {
  it("opens a session for a code one step behind or ahead, refuses two steps off, and refuses a code used before (replay)", async () => {
    const { member, secret } = await enrolledMember();
    const now = new Date();
    const at = (offset: number) => totpCode(secret, new Date(now.getTime() + offset * STEP_MS));

    expect(await outcomeOf(completeSignInChallenge(db(), { challenge: await challengeFor(member, now), code: at(-2) }, client, now))).toBe("mfa_wrong_code:4");
    const behind = await completeSignInChallenge(db(), { challenge: await challengeFor(member, now), code: at(-1) }, client, now);
    expect((await checkSession(db(), behind.sessionId)).live).toBe(true);
    // The same code again (someone watched it typed), and an older one: refused.
    expect(await outcomeOf(completeSignInChallenge(db(), { challenge: await challengeFor(member, now), code: at(-1) }, client, now))).toMatch(/^mfa_wrong_code/);
    expect(await outcomeOf(completeSignInChallenge(db(), { challenge: await challengeFor(member, now), code: at(2) }, client, now))).toMatch(/^mfa_wrong_code/);
    const ahead = await completeSignInChallenge(db(), { challenge: await challengeFor(member, now), code: at(1) }, client, now);
    expect((await checkSession(db(), ahead.sessionId)).live).toBe(true);
    // Now step +1 is spent: the current step's code is older, so it is refused too.
    expect(await outcomeOf(completeSignInChallenge(db(), { challenge: await challengeFor(member, now), code: at(0) }, client, now))).toMatch(/^mfa_wrong_code/);

    const history = await db().loginAttempt.findMany({ where: { userId: member.id }, orderBy: { id: "asc" }, select: { result: true, reason: true } });
    expect(history.map((row) => `${row.result}:${row.reason}`)).toEqual([
      "failure:wrong_mfa_code",
      "success:signed_in",
      "failure:wrong_mfa_code",
      "failure:wrong_mfa_code",
      "success:signed_in",
      "failure:wrong_mfa_code",
    ]);
  });

  it("takes each recovery code once, and a challenge only once", async () => {
    const { member, recoveryCodes } = await enrolledMember();
    const challenge = await challengeFor(member);
    const typed = recoveryCodes[3]!.toUpperCase().replaceAll("-", " ");
    expect(await outcomeOf(completeSignInChallenge(db(), { challenge, code: typed }, client))).toBe("ok");
    expect(await outcomeOf(completeSignInChallenge(db(), { challenge, code: recoveryCodes[4]! }, client))).toBe("mfa_challenge_ended");
    expect(await outcomeOf(completeSignInChallenge(db(), { challenge: await challengeFor(member), code: recoveryCodes[3]! }, client))).toMatch(/^mfa_wrong_code/);
    const left = await db().mfaRecoveryCode.count({ where: { userId: member.id, usedAt: null } });
    expect(left).toBe(9);
  });

  it("ends a challenge after its tries or five minutes, and a wrong code is a failed attempt towards the throttle", async () => {
    const { member, tenant, secret } = await enrolledMember();
    await db().tenantSecurityPolicy.create({ data: { tenantId: tenant.id, lockoutThreshold: 50 } });
    const start = new Date();
    const challenge = await challengeFor(member, start);
    const outcomes: string[] = [];
    // One attempt a minute: the per-account rate limit (5 a minute) stays out of the way.
    for (let index = 0; index < CHALLENGE_MAX_ATTEMPTS; index += 1) {
      outcomes.push(await outcomeOf(completeSignInChallenge(db(), { challenge, code: "000000" }, client, new Date(start.getTime() + index * 100))));
    }
    expect(outcomes).toEqual(["mfa_wrong_code:4", "mfa_wrong_code:3", "mfa_wrong_code:2", "mfa_wrong_code:1", "mfa_challenge_ended"]);
    const after = new Date(start.getTime() + 1000);
    expect(await outcomeOf(completeSignInChallenge(db(), { challenge, code: totpCode(secret, after) }, client, after))).toBe("mfa_challenge_ended");

    const late = await challengeFor(member, start);
    const sixMinutesLater = new Date(start.getTime() + 6 * 60 * 1000);
    expect(await outcomeOf(completeSignInChallenge(db(), { challenge: late, code: totpCode(secret, sixMinutesLater) }, client, sixMinutesLater))).toBe("mfa_challenge_ended");
    expect(await outcomeOf(completeSignInChallenge(db(), { challenge: "forged", code: "123456" }, client))).toBe("mfa_challenge_ended");
  });

  it("throttles sign-in when wrong codes reach the policy's threshold, as wrong passwords do (without locking the member)", async () => {
    const { member, tenant, secret } = await enrolledMember();
    await db().tenantSecurityPolicy.create({ data: { tenantId: tenant.id, lockoutThreshold: 3 } });
    const now = new Date();
    const challenge = await challengeFor(member, now);
    expect(await outcomeOf(completeSignInChallenge(db(), { challenge, code: "000000" }, client, now))).toBe("mfa_wrong_code:4");
    expect(await outcomeOf(completeSignInChallenge(db(), { challenge, code: "000001" }, client, now))).toBe("mfa_wrong_code:3");
    expect(await outcomeOf(completeSignInChallenge(db(), { challenge, code: "000002" }, client, now))).toMatch(/^account_locked:/);
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).state).toBe("active");
    // Even the right code opens nothing now.
    expect(await outcomeOf(completeSignInChallenge(db(), { challenge: await challengeFor(member, now), code: totpCode(secret, now) }, client, now))).toMatch(/^account_locked:/);
  });
});

describe("MFA procedures", () => {
  it("refuse signed-out callers", async () => {
    const caller = createCaller(await createContextForSessionId(null));
    const error = await caller.auth.mfa.start().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("UNAUTHORIZED");
  });
});
