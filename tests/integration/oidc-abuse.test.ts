import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { hashClientSecret, clientSecretHint, newClientSecret } from "@/server/oidc/client-secret-hash";
import { issuerUrl } from "@/server/oidc/issuer";
import { currentSessionCookieName } from "@/server/auth/session-token";
import { createTenant } from "../support/factories";
import { createOidcApplication, grantApplication } from "../support/oidc-applications";
import { authorizationCode, relyingParty, signInSetup, oidcRig, tokenRequest } from "../support/oidc-rig";

// An attacker's view of the issuer: redirect URIs that almost match, a client
// of another organisation, wrong and rotated-out secrets, a public client
// without PKCE, one code exchanged many times at once, and parameters no
// application would send. Each is refused with an OAuth error, never a 500.

const rig = oidcRig();

describe("the issuer refuses", () => {
  it("a redirect URI that is not an exact match, on its own page (the attacker's URI is never redirected to or echoed)", async () => {
    const { member, app, rp, browser, issuer } = await signInSetup(rig);
    await grantApplication(member.id, app.application.id);
    for (const redirectUri of [`${rp.redirectUri}/`, `${rp.redirectUri}?x=1`, rp.redirectUri.toUpperCase(), "https://evil.example/callback", `${rp.redirectUri}#frag`]) {
      const query = new URLSearchParams({ client_id: app.clientId, response_type: "code", scope: "openid", redirect_uri: redirectUri, code_challenge: "a".repeat(43), code_challenge_method: "S256" });
      const response = await browser.request(`${issuer}/auth?${query.toString()}`);
      expect(response.status, redirectUri).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      const body = await response.text();
      expect(body).toContain("invalid_redirect_uri");
      expect(body).not.toContain("evil.example");
    }
  });

  it("another organisation's client id at this issuer", async () => {
    const { browser, rp } = await signInSetup(rig);
    const other = await createTenant();
    const foreign = await createOidcApplication(other.id, { redirectUris: [rp.redirectUri] });
    const { issuer } = await signInSetup(rig);
    const query = new URLSearchParams({ client_id: foreign.clientId, response_type: "code", scope: "openid", redirect_uri: rp.redirectUri, code_challenge: "a".repeat(43), code_challenge_method: "S256" });
    const response = await browser.request(`${issuer}/auth?${query.toString()}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("invalid_client");
    const token = await tokenRequest(issuer, { grant_type: "refresh_token", refresh_token: "x" }, { clientId: foreign.clientId, clientSecret: foreign.clientSecret! });
    expect(token.status).toBe(401);
    expect(await token.json()).toMatchObject({ error: "invalid_client" });
  });

  it("a wrong client secret, and a rotated-out one once it expired (while one still in its overlap works)", async () => {
    const setup = await signInSetup(rig, {}, { pkce: false });
    const { member, app, issuer, tenant, rp } = setup;
    await grantApplication(member.id, app.application.id);
    const exchange = async (clientSecret: string) =>
      tokenRequest(issuer, { grant_type: "authorization_code", code: await authorizationCode(setup), redirect_uri: rp.redirectUri }, { clientId: app.clientId, clientSecret });

    const wrong = await exchange(`${app.clientSecret!}x`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: "invalid_client" });

    // Rotation: the old secret stays valid until its expiry, the new one works at once.
    const rotated = newClientSecret();
    await db().applicationClientSecret.updateMany({ where: { applicationId: app.application.id }, data: { expiresAt: new Date(Date.now() + 60_000) } });
    await db().applicationClientSecret.create({ data: { tenantId: tenant.id, applicationId: app.application.id, secretHash: hashClientSecret(rotated), hint: clientSecretHint(rotated) } });
    expect((await exchange(app.clientSecret!)).status).toBe(200);
    expect((await exchange(rotated)).status).toBe(200);
    await db().applicationClientSecret.updateMany({ where: { applicationId: app.application.id, expiresAt: { not: null } }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await exchange(app.clientSecret!);
    expect(expired.status).toBe(401);
    expect((await exchange(rotated)).status).toBe(200);
  });

  it("a public client's authorization without PKCE", async () => {
    const { member, app, rp, browser } = await signInSetup(rig, { type: "public" }, { pkce: false });
    await grantApplication(member.id, app.application.id);
    expect(app.clientSecret).toBeUndefined();
    const result = await browser.follow(`${rp.url}/login`);
    expect(result.response.status).toBe(401);
    expect(rp.errors).toEqual(["invalid_request"]);
    expect(rp.sessions.size).toBe(0);
  });

  it("a burst of parallel exchanges of one code: exactly one wins, and the replay revokes what it issued", async () => {
    const setup = await signInSetup(rig, {}, { pkce: false });
    await grantApplication(setup.member.id, setup.app.application.id);
    const code = await authorizationCode(setup);
    const responses = await Promise.all(
      Array.from({ length: 12 }, () =>
        tokenRequest(setup.issuer, { grant_type: "authorization_code", code, redirect_uri: setup.rp.redirectUri }, { clientId: setup.app.clientId, clientSecret: setup.app.clientSecret! }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status !== 200 && status !== 400)).toEqual([]);
    // The code was replayed: the grant it belonged to is gone, the tokens the winner got with it too.
    await expect.poll(() => db().oidcPayload.count({ where: { userId: setup.member.id, model: { in: ["AccessToken", "RefreshToken"] } } })).toBe(0);
  });

  it("malformed and huge parameters with a 4xx, never a 500", async () => {
    const { member, app, issuer, rp } = await signInSetup(rig);
    await grantApplication(member.id, app.application.id);
    const probes: [string, RequestInit?][] = [
      [`${issuer}/auth?client_id=${"x".repeat(8000)}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(rp.redirectUri)}`],
      [`${issuer}/auth?client_id=${app.clientId}%00&response_type=code&scope=openid`],
      [`${issuer}/auth?client_id=${app.clientId}&client_id=other&response_type=code`],
      [`${issuer}/auth?client_id=${app.clientId}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(rp.redirectUri)}&code_challenge=${"a".repeat(5000)}&code_challenge_method=S256`],
      [`${issuer}/interaction/${"z".repeat(40)}`],
      [`${issuer}/interaction/../../jwks`],
      [`${issuer}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `grant_type=authorization_code&code=${"c".repeat(100_000)}` }],
      [`${issuer}/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" }],
      [`${issuer}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", authorization: "Basic %%%" }, body: "grant_type=refresh_token&refresh_token=x" }],
      [`${issuer}/me`, { headers: { authorization: `Bearer ${"t".repeat(5000)}` } }],
      [`${issuer}/token/introspection`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "token=\u0000" }],
    ];
    for (const [url, init] of probes) {
      const response = await fetch(url, { ...init, redirect: "manual" });
      // Refused: a 4xx, or (with a registered redirect URI) an OAuth error sent back to the application.
      const location = response.headers.get("location");
      if (response.status === 303) expect(location, url.slice(0, 120)).toMatch(new RegExp(`^${rp.redirectUri}\\?error=`));
      else expect(response.status, url.slice(0, 120)).toBeGreaterThanOrEqual(400);
      expect(response.status, url.slice(0, 120)).toBeLessThan(500);
      await response.arrayBuffer();
    }
    // A NUL in a value the provider keeps (state, nonce) is no error of the request's form: it goes on, without a 500.
    const withNul = await fetch(
      `${issuer}/auth?client_id=${app.clientId}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(rp.redirectUri)}&state=a%00b&nonce=%00&code_challenge=${"a".repeat(43)}&code_challenge_method=S256`,
      { redirect: "manual" },
    );
    expect(withNul.status).toBe(303);
  });
});

describe("the interaction with a malformed Tenure session cookie", () => {
  it("sends the browser to sign in (never a 500, never signed in): garbage, a NUL byte, a 100 KB value", async () => {
    const { app, rp } = await signInSetup(rig);
    for (const value of ["garbage", "%00abc", "x".repeat(100_000)]) {
      const login = await fetch(`${rp.url}/login`, { redirect: "manual" });
      const authorize = await fetch(login.headers.get("location")!, { redirect: "manual" });
      const providerCookies = authorize.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
      const interaction = await fetch(new URL(authorize.headers.get("location")!, authorize.url), {
        redirect: "manual",
        headers: { cookie: `${providerCookies}; ${currentSessionCookieName()}=${value}` },
      });
      expect(interaction.status, value.slice(0, 20)).toBeLessThan(500);
      const location = interaction.headers.get("location") ?? "";
      expect(location, value.slice(0, 20)).not.toContain("code=");
      if (interaction.status < 400) expect(location, value.slice(0, 20)).toContain("/sign-in");
      await interaction.arrayBuffer();
    }
    expect(await db().applicationSignIn.count({ where: { applicationId: app.application.id, outcome: "granted" } })).toBe(0);
  });
});

describe("relying parties of another organisation", () => {
  it("cannot use this organisation's issuer even with a valid secret of theirs", async () => {
    const tenant = await createTenant();
    const app = await createOidcApplication(tenant.id, { redirectUris: ["http://127.0.0.1/cb"] });
    const otherIssuer = issuerUrl((await createTenant()).slug);
    const rp = await relyingParty({ issuer: otherIssuer, clientId: app.clientId, clientSecret: app.clientSecret });
    const response = await fetch(`${rp.url}/login`, { redirect: "manual" });
    const authorize = await fetch(response.headers.get("location")!, { redirect: "manual" });
    expect(authorize.status).toBe(400);
  });
});
