import { describe, expect, it } from "vitest";
import { createSession } from "@/server/auth/sessions";
import { db } from "@/server/db/client";
import { readNotice } from "@/server/oidc/interaction-notices";
import { createSignedInMember, createTenant } from "../support/factories";
import { Browser } from "../support/browser";
import { grantApplication } from "../support/oidc-applications";
import { signInSetup, oidcRig } from "../support/oidc-rig";

// Who completes an authorization at Tenure's issuer: a member signed in to
// this organisation who may sign in and holds the application (directly or
// inherited). Everyone else is sent to Tenure's sign-in page or told they have
// no access, and the refusal is recorded. Third-party applications ask consent once.

const rig = oidcRig();

const locations = (hops: { location: string | null }[]) => hops.map((hop) => hop.location ?? "");

describe("authorisation at sign-in", () => {
  it("refuses a member who does not hold the application: the no-access page, recorded", async () => {
    const { member, app, rp, browser } = await signInSetup(rig);
    const result = await browser.follow(`${rp.url}/login`);
    const denied = locations(result.hops).find((location) => location.startsWith("/applications/denied?"));
    expect(denied, JSON.stringify(result.hops)).toBeDefined();
    expect(readNotice(new URL(denied!, rig.tenureUrl).searchParams.get("notice"), "denied")).toMatchObject({ application: app.application.name });
    expect(rp.sessions.size).toBe(0);
    expect(await db().applicationSignIn.findMany({ where: { applicationId: app.application.id } })).toMatchObject([{ userId: member.id, outcome: "refused", reason: "application_not_held" }]);
    expect(await db().auditEvent.count({ where: { action: "application.sign_in_refused", targetId: app.application.id } })).toBe(1);
    expect(await db().oidcPayload.count({ where: { userId: member.id, model: { in: ["AuthorizationCode", "AccessToken", "RefreshToken"] } } })).toBe(0);
  });

  it("accepts a member who holds the application through a group (inherited access)", async () => {
    const { tenant, member, app, rp, browser } = await signInSetup(rig);
    const group = await db().group.create({ data: { tenantId: tenant.id, name: "Engineers" } });
    await db().groupApplication.create({ data: { groupId: group.id, applicationId: app.application.id } });
    await db().memberGroup.create({ data: { userId: member.id, groupId: group.id } });
    const result = await browser.follow(`${rp.url}/login`);
    expect(result.body, JSON.stringify(result.hops)).toBe(`Signed in as ${member.email}`);
  });

  it("sends a browser without a Tenure session, or with another organisation's, to Tenure's sign-in page and back", async () => {
    const { app, member, rp, tenant } = await signInSetup(rig);
    await grantApplication(member.id, app.application.id);
    const other = await createTenant();
    const { sessionId: otherSession } = await createSignedInMember(other.id);
    for (const browser of [new Browser(), await Browser.signedIn(rig.tenureUrl, otherSession)]) {
      const result = await browser.follow(`${rp.url}/login`);
      const signIn = locations(result.hops).find((location) => location.startsWith("/sign-in?"));
      expect(signIn, JSON.stringify(result.hops)).toBeDefined();
      const query = new URL(signIn!, rig.tenureUrl).searchParams;
      expect(query.get("organisation")).toBe(tenant.slug);
      expect(query.get("callbackUrl")).toMatch(new RegExp(`^/oidc/${tenant.slug}/interaction/[A-Za-z0-9_-]+$`));
      expect(rp.sessions.size).toBe(0);
    }
  });

  it("refuses a disabled or locked member: their session is over, so the sign-in page says why", async () => {
    for (const state of ["disabled", "locked"] as const) {
      const { app, member, rp, browser } = await signInSetup(rig);
      await grantApplication(member.id, app.application.id);
      await db().user.update({ where: { id: member.id }, data: { state } });
      const result = await browser.follow(`${rp.url}/login`);
      const signIn = locations(result.hops).find((location) => location.startsWith("/sign-in?"));
      expect(new URL(signIn!, rig.tenureUrl).searchParams.get("reason")).toBe("account_blocked");
      expect(rp.sessions.size).toBe(0);
    }
  });

  it("asks for a fresh sign-in on prompt=login, then accepts a session opened after the request", async () => {
    const { app, member, tenant, rp, browser } = await signInSetup(rig);
    await grantApplication(member.id, app.application.id);
    const first = await browser.follow(`${rp.url}/login?prompt=login`);
    const signIn = locations(first.hops).find((location) => location.startsWith("/sign-in?"));
    expect(signIn, JSON.stringify(first.hops)).toBeDefined();
    // The member signs in again (Tenure's sign-in page makes a new session), and the browser returns to the interaction.
    const { sessionId: fresh } = await createSignedInSession(tenant.id, member.id);
    await browser.signIn(rig.tenureUrl, fresh);
    const back = await browser.follow(`${rig.tenureUrl}${new URL(signIn!, rig.tenureUrl).searchParams.get("callbackUrl")!}`);
    expect(back.body, JSON.stringify(back.hops)).toBe(`Signed in as ${member.email}`);
  });
});

async function createSignedInSession(tenantId: bigint, userId: bigint) {
  // Sessions are stamped to the millisecond; the interaction's start is to the second.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  return { sessionId: await createSession(db(), { tenantId, userId, ipAddress: "127.0.0.1", userAgent: "vitest" }) };
}

describe("third-party applications", () => {
  it("ask the member's consent once, listing the claims; declining tells the application access_denied", async () => {
    const { app, member, rp, browser, sessionId } = await signInSetup(rig, { firstParty: false });
    await grantApplication(member.id, app.application.id);

    const declined = await browser.follow(`${rp.url}/login`);
    const consentFirst = locations(declined.hops).find((location) => location.startsWith("/applications/consent?"))!;
    const noticeFirst = readNotice(new URL(consentFirst, rig.tenureUrl).searchParams.get("notice"), "consent")!;
    const refused = await browser.follow(`${rig.tenureUrl}${noticeFirst.action!.replace(/\/consent$/, "/decline")}`, { method: "POST" });
    expect(refused.response.status).toBe(401);
    expect(rp.errors).toEqual(["access_denied"]);

    const asked = await browser.follow(`${rp.url}/login`);
    const consent = locations(asked.hops).find((location) => location.startsWith("/applications/consent?"));
    expect(consent, JSON.stringify(asked.hops)).toBeDefined();
    const notice = readNotice(new URL(consent!, rig.tenureUrl).searchParams.get("notice"), "consent")!;
    expect(notice).toMatchObject({ application: app.application.name, claimSets: ["profile", "email"] });
    const allowed = await browser.follow(`${rig.tenureUrl}${notice.action!}`, { method: "POST" });
    expect(allowed.body, JSON.stringify(allowed.hops)).toBe(`Signed in as ${member.email}`);

    // Once per member: the next sign-in, even from another browser, goes straight through.
    const again = await (await Browser.signedIn(rig.tenureUrl, sessionId)).follow(`${rp.url}/login`);
    expect(locations(again.hops).some((location) => location.startsWith("/applications/consent"))).toBe(false);
    expect(again.body).toBe(`Signed in as ${member.email}`);
  });

  it("refuse a consent posted without the interaction's cookie (another site's form)", async () => {
    const { app, member, rp, browser, sessionId } = await signInSetup(rig, { firstParty: false });
    await grantApplication(member.id, app.application.id);
    const asked = await browser.follow(`${rp.url}/login`);
    const consent = locations(asked.hops).find((location) => location.startsWith("/applications/consent?"))!;
    const notice = readNotice(new URL(consent, rig.tenureUrl).searchParams.get("notice"), "consent")!;
    // The Tenure session only (a cross-site POST carries no SameSite=Lax cookie of the interaction).
    const forged = await (await Browser.signedIn(rig.tenureUrl, sessionId)).request(`${rig.tenureUrl}${notice.action!}`, { method: "POST" });
    expect(forged.status).toBe(400);
    expect(await db().oidcPayload.count({ where: { userId: member.id, model: "Grant" } })).toBe(0);
  });
});

describe("the return from Tenure's sign-in page", () => {
  it("answers Next's client-router fetch (RSC) without touching the interaction, so the page load that follows completes it", async () => {
    const { app, member, rp, browser } = await signInSetup(rig);
    await grantApplication(member.id, app.application.id);
    const started = await browser.follow(`${rp.url}/login`, {}, (next) => next.includes("/interaction/"));
    const routerFetch = await browser.request(started.url, { headers: { rsc: "1" } });
    expect(routerFetch.status).toBe(200);
    expect(routerFetch.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await db().applicationSignIn.count({ where: { applicationId: app.application.id } })).toBe(0);
    const loaded = await browser.follow(started.url);
    expect(loaded.body).toBe(`Signed in as ${member.email}`);
  });
});
