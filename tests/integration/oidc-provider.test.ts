import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { issuerUrl } from "@/server/oidc/issuer";
import { loadSigningKeys, rotateSigningKeys } from "@/server/oidc/signing-keys";
import { createTenant } from "../support/factories";
import { grantApplication } from "../support/oidc-applications";
import { signInSetup, oidcRig } from "../support/oidc-rig";

// Tenure's OpenID provider through real HTTP with the sample relying party
// (openid-client): discovery, keys, the code flow with PKCE, refresh with
// rotation, userinfo's claims per claim set, introspection and revocation.

const rig = oidcRig();

describe("discovery and keys", () => {
  it("publish one issuer per organisation with its endpoints, and the current and next signing keys", async () => {
    const tenant = await createTenant();
    const issuer = issuerUrl(tenant.slug);
    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(issuer);
    for (const endpoint of ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint", "revocation_endpoint", "introspection_endpoint"]) {
      expect(String(discovery[endpoint])).toMatch(new RegExp(`^${issuer}/`));
    }
    expect(discovery.backchannel_logout_supported).toBe(true);
    expect(discovery.code_challenge_methods_supported).toEqual(["S256"]);
    expect(discovery.id_token_signing_alg_values_supported).toEqual(["RS256"]);
    expect(discovery.response_types_supported).toEqual(["code"]);

    const jwks = (await (await fetch(String(discovery.jwks_uri))).json()) as { keys: { kid: string; d?: string }[] };
    const keys = await loadSigningKeys(db());
    expect(jwks.keys.map((key) => key.kid)).toEqual(keys.map((key) => key.kid));
    expect(keys.slice(0, 2).map((key) => key.status)).toEqual(["current", "next"]);
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
  });

  it("follow a rotation within seconds: the JWKS publishes the new next key, ID tokens are signed with the new current one", async () => {
    const { member, app, rp, browser, issuer } = await signInSetup(rig);
    await grantApplication(member.id, app.application.id);
    await fetch(`${issuer}/jwks`);
    const rotated = await db().$transaction((tx) => rotateSigningKeys(tx));
    const keys = await loadSigningKeys(db());
    await expect
      .poll(async () => ((await (await fetch(`${issuer}/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid), { timeout: 10_000, interval: 500 })
      .toEqual(keys.map((key) => key.kid));
    await browser.follow(`${rp.url}/login`);
    const idToken = [...rp.sessions.values()][0]!.idToken;
    expect(JSON.parse(Buffer.from(idToken.split(".")[0]!, "base64url").toString())).toMatchObject({ kid: rotated.activatedKid, alg: "RS256" });
  });

  it("answer 404 JSON for an unknown organisation or a malformed slug", async () => {
    for (const path of ["/oidc/no-such-org/.well-known/openid-configuration", "/oidc/%E0%A4%A/x", `/oidc/${"a".repeat(300)}/jwks`, "/oidc/UPPER/jwks", "/oidc/"]) {
      const response = await fetch(`${rig.tenureUrl}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: "not_found" });
    }
  });
});

describe("the authorization code flow", () => {
  it("signs a member holding the application in (single sign-on from the Tenure session), with PKCE", async () => {
    const { member, app, rp, browser } = await signInSetup(rig);
    await grantApplication(member.id, app.application.id);
    const result = await browser.follow(`${rp.url}/login`);
    expect(result.body, JSON.stringify(result.hops, null, 1)).toBe(`Signed in as ${member.email}`);
    const session = [...rp.sessions.values()][0]!;
    expect(session.sub).toBe(member.id.toString());
    expect(session.sid).toBeTruthy();
    expect(session.refreshToken).toBeTruthy();
    expect(session.claims).toMatchObject({ name: member.fullName, preferred_username: member.username, email: member.email });
    const recorded = await db().applicationSignIn.findMany({ where: { applicationId: app.application.id } });
    expect(recorded).toMatchObject([{ userId: member.id, outcome: "granted", reason: "holds_application" }]);
    expect(await db().auditEvent.count({ where: { action: "application.signed_in", targetId: app.application.id, actorId: member.id } })).toBe(1);
    // Stored for the lifecycle to find: the member's tokens for this client, by the extracted columns.
    const rows = await db().oidcPayload.findMany({ where: { userId: member.id, clientId: app.clientId }, select: { model: true } });
    expect(new Set(rows.map((row) => row.model))).toEqual(new Set(["Grant", "AuthorizationCode", "AccessToken", "RefreshToken"]));
  });

  it("refreshes with rotation: the new refresh token works, the old one is refused afterwards", async () => {
    const { member, app, rp, browser } = await signInSetup(rig);
    await grantApplication(member.id, app.application.id);
    await browser.follow(`${rp.url}/login`);
    const session = [...rp.sessions.values()][0]!;
    const first = session.refreshToken!;
    const refreshed = await browser.request(`${rp.url}/refresh`, { method: "POST" });
    expect(await refreshed.text()).toBe("Refreshed");
    expect(session.refreshToken).not.toBe(first);
    await expect(oidc.refreshTokenGrant(await rp.configuration(), first)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("gives userinfo the claims of the application's claim sets only, access included when asked", async () => {
    const { tenant, member, app, rp, browser } = await signInSetup(
      rig,
      { claimSets: ["profile", "roles", "groups", "permissions"] },
      { scope: "openid profile roles groups permissions" },
    );
    await grantApplication(member.id, app.application.id);
    const policy = await db().policy.create({ data: { tenantId: tenant.id, name: "Read reports", permission: "reports:read" } });
    const role = await db().role.create({ data: { tenantId: tenant.id, name: "Analyst" } });
    await db().rolePolicy.create({ data: { roleId: role.id, policyId: policy.id } });
    await db().memberRole.create({ data: { userId: member.id, roleId: role.id } });
    const group = await db().group.create({ data: { tenantId: tenant.id, name: "Finance" } });
    await db().memberGroup.create({ data: { userId: member.id, groupId: group.id } });

    // "email" is not among the application's claim sets: asking for it is refused outright.
    const refused = await browser.follow(`${rp.url}/login?scope=${encodeURIComponent("openid profile email")}`);
    expect(refused.response.status).toBe(401);
    expect(rp.errors).toEqual(["invalid_scope"]);

    const result = await browser.follow(`${rp.url}/login`);
    expect(result.response.status, JSON.stringify(result.hops, null, 1)).toBe(200);
    const session = [...rp.sessions.values()][0]!;
    const userinfo = await oidc.fetchUserInfo(await rp.configuration(), session.accessToken, session.sub);
    expect(userinfo).toMatchObject({ sub: member.id.toString(), name: member.fullName, roles: ["Analyst"], groups: ["Finance"], permissions: ["reports:read"] });
    expect(userinfo.email).toBeUndefined();
  });

  it("introspects and revokes: a revoked refresh token no longer refreshes, a revoked access token is inactive", async () => {
    const { member, app, rp, browser } = await signInSetup(rig);
    await grantApplication(member.id, app.application.id);
    await browser.follow(`${rp.url}/login`);
    const session = [...rp.sessions.values()][0]!;
    const config = await rp.configuration();
    expect(await oidc.tokenIntrospection(config, session.accessToken)).toMatchObject({ active: true, sub: member.id.toString(), client_id: app.clientId });
    await oidc.tokenRevocation(config, session.accessToken);
    expect(await oidc.tokenIntrospection(config, session.accessToken)).toMatchObject({ active: false });
    await oidc.tokenRevocation(config, session.refreshToken!);
    await expect(oidc.refreshTokenGrant(config, session.refreshToken!)).rejects.toMatchObject({ error: "invalid_grant" });
  });
});

describe("RP-initiated logout", () => {
  it("ends the provider session and tells the application's back-channel logout endpoint, which verifies the token", async () => {
    const { member, app, rp, browser } = await signInSetup(rig);
    await grantApplication(member.id, app.application.id);
    await browser.follow(`${rp.url}/login`);
    const { sid } = [...rp.sessions.values()][0]!;
    const prompt = await browser.follow(`${rp.url}/logout`);
    expect(prompt.body).toContain("Sign out of");
    // The logout prompt's form (oidc-provider's, with its xsrf token) posted as the member's browser would.
    const action = /<form[^>]*action="([^"]+)"/.exec(prompt.body)![1]!;
    const fields = Object.fromEntries([...prompt.body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((match) => [match[1]!, match[2]!]));
    const done = await browser.follow(new URL(action, prompt.url).href, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...fields, logout: "yes" }),
    });
    expect(done.body).toBe("Signed out");
    await expect.poll(() => rp.logoutTokens.length).toBe(1);
    expect(rp.logoutTokens[0]).toMatchObject({ valid: true, sid, sub: member.id.toString() });
    // The provider's session is over; the application's tokens live on by their own lifetimes (expiresWithSession is off: provider.ts).
    expect(await db().oidcPayload.count({ where: { userId: member.id, model: "Session" } })).toBe(0);
  });
});
