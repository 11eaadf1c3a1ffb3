import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { parseSignInError } from "@/server/auth/schemas";
import { checkSession } from "@/server/auth/sessions";
import { changePassword } from "@/server/auth/change-password";
import { sendPasswordResetLink } from "@/server/auth/forgot-password";
import { findOpenPasswordReset } from "@/server/auth/forgot-password-reset";
import { passwordResetTokenHash } from "@/server/auth/forgot-password";
import { hashPassword } from "@/server/auth/password";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { resendInvitation } from "@/server/onboarding/resend-invitation";
import { getInvitationStatus } from "@/server/onboarding/get-invitation-status";
import { findOpenInvitation } from "@/server/onboarding/find-invitation";
import { invitationTokenHash } from "@/server/onboarding/invitation-token";
import { getMemberLifecycle } from "@/server/lifecycle/get-member-lifecycle";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { createTenant, TEST_PASSWORD } from "../support/factories";
import { createDirectory, createDirectoryMember } from "../support/directories";
import { organisationalUnit, person, startSlapd, type TSlapd } from "../support/slapd";

// Sign-in by LDAP bind against a real slapd: the directory's password signs
// its members in, every sign-in rule still applies, and a directory that
// cannot answer lets nobody in and is not counted as a wrong password.

const client = { ipAddress: "198.51.100.23", userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36" };
const LDAP_PASSWORD = "correct horse battery staple ldap";

let slapd: TSlapd;
let uidSequence = 0;

beforeAll(async () => {
  slapd = await startSlapd();
  await slapd.add([organisationalUnit(slapd.suffix, "people")]);
}, 60_000);
afterAll(async () => {
  await slapd?.stop();
});

/** A tenant, a bind directory on the real slapd, and one of its members with an LDAP entry and password (and no local one). */
async function scene(options: { signInByBind?: boolean; lockoutThreshold?: number } = {}) {
  const tenant = await createTenant();
  if (options.lockoutThreshold) await db().tenantSecurityPolicy.create({ data: { tenantId: tenant.id, lockoutThreshold: options.lockoutThreshold } });
  const directory = await createDirectory(tenant.id, slapd, { baseDn: `ou=people,${slapd.suffix}`, signInByBind: options.signInByBind ?? true });
  const uid = `ldapper${++uidSequence}`;
  const entry = person(slapd.suffix, uid, { password: LDAP_PASSWORD });
  await slapd.add([entry]);
  const member = await createDirectoryMember(directory, { username: uid, dn: entry.dn, password: options.signInByBind === false ? TEST_PASSWORD : null });
  return { tenant, directory, member };
}

async function attempt(tenant: { slug: string }, login: string, password: string) {
  try {
    const result = await signInWithPassword(db(), { organisation: tenant.slug, login, password }, client);
    return { outcome: "ok" as const, ...result };
  } catch (error) {
    const { code, detail } = parseSignInError((error as Error).message);
    return { outcome: code, detail, sessionId: undefined };
  }
}

const historyOf = async (userId: bigint) =>
  (await db().loginAttempt.findMany({ where: { userId }, orderBy: { id: "asc" }, select: { result: true, reason: true } })).map((row) => `${row.result}:${row.reason}`);

describe("sign-in by LDAP bind", () => {
  it("signs a member in with their LDAP password (no local password needed), and never with a local one", async () => {
    const { tenant, member } = await scene();
    const signedIn = await attempt(tenant, member.username, LDAP_PASSWORD);
    expect(signedIn).toMatchObject({ outcome: "ok", passwordChangeRequired: false, memberId: member.id });
    expect((await checkSession(db(), signedIn.sessionId)).live).toBe(true);

    // A local hash (say, from before the member was linked) is not a way in: the directory decides.
    await db().user.update({ where: { id: member.id }, data: { passwordHash: await hashPassword(TEST_PASSWORD) } });
    expect((await attempt(tenant, member.username, TEST_PASSWORD)).outcome).toBe("invalid_credentials");
    expect(await historyOf(member.id)).toEqual(["success:signed_in", "failure:wrong_password"]);
  });

  it("a wrong LDAP password is a failed attempt like a wrong local one, and throttles at the policy's count", async () => {
    const { tenant, member } = await scene({ lockoutThreshold: 3 });
    expect((await attempt(tenant, member.username, "wrong one")).outcome).toBe("invalid_credentials");
    expect((await attempt(tenant, member.username, "wrong two")).outcome).toBe("invalid_credentials");
    expect((await attempt(tenant, member.username, "wrong three")).outcome).toBe("account_locked");
    // Throttled: even the right LDAP password gets the same answer, and no session.
    expect((await attempt(tenant, member.username, LDAP_PASSWORD)).outcome).toBe("account_locked");
    expect(await db().session.count({ where: { userId: member.id } })).toBe(0);
    expect(await historyOf(member.id)).toEqual(["failure:wrong_password", "failure:wrong_password", "failure:wrong_password", "locked:locked_out"]);
  });

  it("an abnormal sign-in (a new device) is refused with a lock when the policy says so, as for anyone", async () => {
    const { tenant, member } = await scene();
    await db().tenantSecurityPolicy.create({ data: { tenantId: tenant.id, abnormalLoginAction: "lock" } });
    expect((await attempt(tenant, member.username, LDAP_PASSWORD)).outcome).toBe("ok");
    const otherDevice = { ipAddress: "203.0.113.50", userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1" };
    const refused = await signInWithPassword(db(), { organisation: tenant.slug, login: member.username, password: LDAP_PASSWORD }, otherDevice).catch((error: Error) => parseSignInError(error.message));
    expect(refused).toMatchObject({ code: "abnormal_blocked" });
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).state).toBe("locked");
  });

  it("an empty password, or a member without a DN, never binds", async () => {
    const { tenant, member } = await scene();
    expect((await attempt(tenant, member.username, "")).outcome).toBe("invalid_credentials");
    // An entry whose DN Tenure does not hold (a member the sync has not placed yet): never a bind as anyone else.
    await db().user.update({ where: { id: member.id }, data: { directoryDn: null } });
    expect((await attempt(tenant, member.username, LDAP_PASSWORD)).outcome).toBe("invalid_credentials");
  });

  it("still asks for the second factor when the member has MFA", async () => {
    const { tenant, member } = await scene();
    await db().memberMfa.create({ data: { userId: member.id, secretEncrypted: "v1.x", enabledAt: new Date() } });
    const answer = await attempt(tenant, member.username, LDAP_PASSWORD);
    expect(answer.outcome).toBe("mfa_required");
    expect(answer.detail).toBeTruthy();
    expect(await db().session.count({ where: { userId: member.id } })).toBe(0);
  });

  it("a member of a directory without bind sign-in uses their local password, not the LDAP one", async () => {
    const { tenant, member } = await scene({ signInByBind: false });
    expect((await attempt(tenant, member.username, LDAP_PASSWORD)).outcome).toBe("invalid_credentials");
    expect((await attempt(tenant, member.username, TEST_PASSWORD)).outcome).toBe("ok");
  });

  it("refuses to change or reset a password the directory manages", async () => {
    const { tenant, directory, member } = await scene();
    const signedIn = await attempt(tenant, member.username, LDAP_PASSWORD);
    const actor = { tenantId: tenant.id, memberId: member.id, sessionId: signedIn.sessionId! };
    await expect(changePassword(db(), actor, { currentPassword: LDAP_PASSWORD, newPassword: "a brand new password 1", confirmation: "a brand new password 1" })).rejects.toThrow(
      `Your password is managed by your organisation's directory (${directory.name})`,
    );
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).passwordHash).toBeNull();

    // Forgot password: no link, a mail saying where to reset it.
    expect(await sendPasswordResetLink(db(), { organisation: tenant.slug, login: member.username }, client)).toBe("directory");
    expect(await db().passwordResetToken.count({ where: { userId: member.id } })).toBe(0);
    const mail = await db().outboxMail.findFirstOrThrow({ where: { userId: member.id } });
    expect(mail.bodyText).toContain(directory.name);
    expect(mail.sealedLink).toBeNull();
    // A link mailed before the directory took the password over opens nothing.
    const token = "token-from-before-the-directory";
    await db().passwordResetToken.create({ data: { tenantId: tenant.id, userId: member.id, tokenHash: passwordResetTokenHash(token), expiresAt: new Date(Date.now() + 600_000) } });
    expect(await findOpenPasswordReset(db(), token)).toBeNull();
  });

  it("no invitation to choose a Tenure password: refused to resend, an old link opens nothing, and the member page says they can sign in", async () => {
    const { tenant, member } = await scene();
    const admin = { tenantId: tenant.id, memberId: null, sysAdmin: 3 };
    await expect(resendInvitation(db(), admin, { memberId: member.id.toString() })).rejects.toThrow("The member signs in with their directory's password");
    expect((await getInvitationStatus(db(), tenant.id, member.id)).canResend).toBe(false);
    const token = "invitation-from-before-the-directory";
    await db().invitation.create({ data: { tenantId: tenant.id, userId: member.id, tokenHash: invitationTokenHash(token), expiresAt: new Date(Date.now() + 600_000) } });
    expect(await findOpenInvitation(db(), token)).toBeNull();
    expect(await getMemberLifecycle(db(), tenant.id, member.id)).toMatchObject({ passwordSet: true, invitationExpiresAt: null });
  });

  it("\"Confirm it's you\" checks the LDAP password too (the API's procedure)", async () => {
    const { tenant, member } = await scene();
    const signedIn = await attempt(tenant, member.username, LDAP_PASSWORD);
    const caller = createCaller(await createContextForSessionId(signedIn.sessionId!));
    await expect(caller.auth.stepUp({ method: "password", secret: "not the password" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await caller.auth.stepUp({ method: "password", secret: LDAP_PASSWORD })).steppedUpUntil.getTime()).toBeGreaterThan(Date.now());
  });

  it("an unreachable directory gives a clear error, lets nobody in and is not counted as a wrong password", async () => {
    const { tenant, member } = await scene({ lockoutThreshold: 2 });
    await slapd.stop();
    for (const password of [LDAP_PASSWORD, "wrong", LDAP_PASSWORD]) {
      expect((await attempt(tenant, member.username, password)).outcome).toBe("directory_unreachable");
    }
    expect(await db().session.count({ where: { userId: member.id } })).toBe(0);
    // Three attempts with a threshold of two, and no throttle: none was counted as a failure; each is in the history.
    expect(await historyOf(member.id)).toEqual(["blocked:directory_unreachable", "blocked:directory_unreachable", "blocked:directory_unreachable"]);
  });
});
