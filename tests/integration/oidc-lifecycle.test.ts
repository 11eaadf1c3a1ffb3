import { randomBytes } from "node:crypto";
import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { grantToMembers, revokeFromMember } from "@/server/access/grant-access";
import { passwordResetTokenHash } from "@/server/auth/forgot-password";
import { resetPassword } from "@/server/auth/forgot-password-reset";
import { revokeAllMemberSessions, revokeMemberSession } from "@/server/auth/member-sessions";
import { createSession } from "@/server/auth/sessions";
import { db } from "@/server/db/client";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { reportNotMe } from "@/server/self-service/report-not-me";
import { createSignedInMember } from "../support/factories";
import { runDueJobs } from "../support/lifecycle";
import { grantApplication } from "../support/oidc-applications";
import { oidcRig, signInSetup, type TSignInSetup } from "../support/oidc-rig";

// Issue 14 item 4 against the sample relying party itself (application-logout
// covers the same actions at the storage and delivery level): the member signs
// in to the application through the issuer, the action runs, the worker's job
// delivers the back-channel logout token, and the application, having verified
// it, has ended its session; the refresh token it held is refused by the issuer.

const rig = oidcRig();

const NEW_PASSWORD = "a brand new passphrase for the reset";

type TScene = TSignInSetup & { actor: { tenantId: bigint; memberId: bigint; sysAdmin: number; sessionId: string } };

/** A member signed in to the relying party through Tenure, and an admin of their organisation. */
async function signedInAtTheApplication(): Promise<TScene> {
  const setup = await signInSetup(rig);
  const { member: admin, sessionId } = await createSignedInMember(setup.tenant.id, { role: "admin" });
  const actor = { tenantId: setup.tenant.id, memberId: admin.id, sysAdmin: admin.sysAdmin, sessionId };
  await grantToMembers(db(), actor, { kind: "application", itemId: setup.app.application.id.toString(), memberIds: [setup.member.id.toString()] });
  const result = await setup.browser.follow(`${setup.rp.url}/login`);
  expect(result.body, JSON.stringify(result.hops)).toBe(`Signed in as ${setup.member.email}`);
  return { ...setup, actor };
}

const lifecycle = (action: "lock" | "disable" | "resign" | "archive" | "delete") => async (s: TScene) => {
  const reason = action === "archive" || action === "delete" ? {} : { reason: "Because" };
  await runLifecycleAction(db(), s.actor, { action, memberIds: [s.member.id.toString()], ...reason } as Parameters<typeof runLifecycleAction>[2]);
};

const actions: [string, (s: TScene) => Promise<unknown>][] = [
  ["lock", lifecycle("lock")],
  ["disable", lifecycle("disable")],
  ["resign", lifecycle("resign")],
  ["archive", lifecycle("archive")],
  ["delete", lifecycle("delete")],
  ["the application grant revoked", (s) => revokeFromMember(db(), s.actor, { kind: "application", itemId: s.app.application.id.toString(), memberId: s.member.id.toString() })],
  [
    "\"This wasn't me\"",
    async (s) => {
      const attempt = await db().loginAttempt.create({
        data: { tenantId: s.tenant.id, userId: s.member.id, login: s.member.username, ipAddress: "203.0.113.9", result: "success", reason: "signed_in", abnormal: true },
      });
      await reportNotMe(db(), { tenantId: s.tenant.id, memberId: s.member.id, sessionId: s.sessionId }, { attemptId: attempt.id.toString() });
    },
  ],
  [
    "a password reset",
    async (s) => {
      const token = randomBytes(32).toString("base64url");
      await db().passwordResetToken.create({ data: { tenantId: s.tenant.id, userId: s.member.id, tokenHash: passwordResetTokenHash(token), expiresAt: new Date(Date.now() + 600_000) } });
      await resetPassword(db(), {}, { token, newPassword: NEW_PASSWORD, confirmation: NEW_PASSWORD });
    },
  ],
  ["an admin ending all sessions", (s) => revokeAllMemberSessions(db(), s.actor, { memberId: s.member.id.toString() })],
  ["an admin ending the session the member signed in with", (s) => revokeMemberSession(db(), s.actor, { memberId: s.member.id.toString(), sessionId: s.sessionId })],
];

describe("each lifecycle action, with the member signed in to the sample application", () => {
  it.each(actions)("%s: the application receives a verified logout token, ends its session, and its refresh is refused", async (_name, act) => {
    const s = await signedInAtTheApplication();
    const [session] = [...s.rp.sessions.values()];
    const refreshToken = session!.refreshToken!;

    await act(s);
    await runDueJobs();

    expect(s.rp.logoutTokens.map((token) => ({ valid: token.valid, sub: token.sub, sid: token.sid, error: token.error }))).toEqual([
      { valid: true, sub: s.member.id.toString(), sid: session!.sid, error: undefined },
    ]);
    expect(s.rp.sessions.size).toBe(0);
    // The application's next page, in the member's browser.
    expect(await (await s.browser.request(`${s.rp.url}/`)).text()).toBe("Signed out");
    await expect(oidc.refreshTokenGrant(await s.rp.configuration(), refreshToken)).rejects.toMatchObject({ error: "invalid_grant" });
  });
});

describe("max_age", () => {
  const signInHop = (hops: { location: string | null }[]) => hops.map((hop) => hop.location ?? "").find((location) => location.startsWith("/sign-in?"));

  it("max_age=0 sends a member signed in to Tenure back to the sign-in page; a session opened after the request completes it", async () => {
    const s = await signedInAtTheApplication();
    s.rp.sessions.clear();
    const first = await s.browser.follow(`${s.rp.url}/login?max_age=0`);
    const signIn = signInHop(first.hops);
    expect(signIn, JSON.stringify(first.hops)).toBeDefined();
    expect(s.rp.sessions.size).toBe(0);

    // Sessions are stamped to the millisecond; the interaction's start is to the second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const fresh = await createSession(db(), { tenantId: s.tenant.id, userId: s.member.id, ipAddress: "127.0.0.1", userAgent: "vitest" });
    await s.browser.signIn(rig.tenureUrl, fresh);
    const back = await s.browser.follow(`${rig.tenureUrl}${new URL(signIn!, rig.tenureUrl).searchParams.get("callbackUrl")!}`);
    expect(back.body, JSON.stringify(back.hops)).toBe(`Signed in as ${s.member.email}`);
    const [session] = [...s.rp.sessions.values()];
    // auth_time is the fresh sign-in's, within the max_age the application asked for.
    expect(Number(session!.claims.auth_time)).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 5);
  });

  it("a small max_age lets a recent Tenure sign-in through, and asks again when the Tenure session is older than it", async () => {
    const recent = await signInSetup(rig);
    await grantApplication(recent.member.id, recent.app.application.id);
    const through = await recent.browser.follow(`${recent.rp.url}/login?max_age=300`);
    expect(through.body, JSON.stringify(through.hops)).toBe(`Signed in as ${recent.member.email}`);

    const stale = await signInSetup(rig);
    await grantApplication(stale.member.id, stale.app.application.id);
    // This member signed in to Tenure ten minutes ago.
    await db().session.update({ where: { id: stale.sessionId }, data: { createdAt: new Date(Date.now() - 600_000) } });
    const asked = await stale.browser.follow(`${stale.rp.url}/login?max_age=300`);
    expect(signInHop(asked.hops), JSON.stringify(asked.hops)).toBeDefined();
    expect(stale.rp.sessions.size).toBe(0);
  });
});
