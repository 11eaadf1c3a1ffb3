import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { exportToEnvironment } from "@/server/env";
import { NO_TRUSTED_PROXIES } from "@/server/http/trusted-proxies";
import { createWebServer, listen } from "@/server/http/web-server";
import { issuerUrl } from "@/server/oidc/issuer";
import { withOpenIdProvider } from "@/server/oidc/mount";
import { loadSigningKeys } from "@/server/oidc/signing-keys";
import { Browser } from "../support/browser";
import { createSignedInMember, createTenant } from "../support/factories";
import { createOidcApplication, grantApplication } from "../support/oidc-applications";
import { startRelyingParty, type TRelyingParty } from "../support/relying-party";

// Tenure's OpenID provider through real HTTP: Tenure's own server (server/http
// + the /oidc router) in this process, the sample relying party
// (openid-client) beside it, and a browser's cookie jar driving the redirects.
// Next.js is not mounted: its pages (sign-in, denied, consent) are seen as the
// redirects that lead to them.

let server: Server;
let tenureUrl: string;
const parties: TRelyingParty[] = [];

beforeAll(async () => {
  server = createWebServer(withOpenIdProvider((_request, response) => void response.writeHead(404).end("next")), NO_TRUSTED_PROXIES);
  await listen(server, 0, "127.0.0.1");
  tenureUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  exportToEnvironment({ NEXTAUTH_URL: tenureUrl });
});

afterAll(async () => {
  await Promise.all(parties.map((party) => party.stop()));
  await new Promise((resolve) => server.close(resolve));
});

async function relyingParty(options: Parameters<typeof startRelyingParty>[0]) {
  const party = await startRelyingParty(options);
  parties.push(party);
  return party;
}

/** An organisation, a signed-in member holding a confidential first-party application, and its relying party. */
async function signInSetup(settings: Partial<Parameters<typeof createOidcApplication>[1]> = {}, rpOptions: { scope?: string; pkce?: boolean } = {}) {
  const tenant = await createTenant();
  const { member, sessionId } = await createSignedInMember(tenant.id);
  const issuer = issuerUrl(tenant.slug);
  // The RP's port comes first: its URIs are the application's settings.
  const placeholder = await relyingParty({ issuer, clientId: "pending", ...rpOptions });
  const app = await createOidcApplication(tenant.id, {
    redirectUris: [placeholder.redirectUri],
    postLogoutRedirectUris: [placeholder.postLogoutRedirectUri],
    backchannelLogoutUri: placeholder.backchannelLogoutUri,
    ...settings,
  });
  await placeholder.stop();
  const rp = await relyingParty({ issuer, clientId: app.clientId, clientSecret: app.clientSecret, ...rpOptions });
  await db().application.update({
    where: { id: app.application.id },
    data: { redirectUris: [rp.redirectUri], postLogoutRedirectUris: [rp.postLogoutRedirectUri], backchannelLogoutUri: rp.backchannelLogoutUri },
  });
  const browser = await Browser.signedIn(tenureUrl, sessionId);
  return { tenant, member, sessionId, issuer, app, rp, browser };
}

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

  it("answer 404 JSON for an unknown organisation or a malformed slug", async () => {
    for (const path of ["/oidc/no-such-org/.well-known/openid-configuration", "/oidc/%E0%A4%A/x", `/oidc/${"a".repeat(300)}/jwks`, "/oidc/UPPER/jwks"]) {
      const response = await fetch(`${tenureUrl}${path}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: "not_found" });
    }
  });
});

describe("the authorization code flow", () => {
  it("signs a member holding the application in (single sign-on from the Tenure session), with PKCE", async () => {
    const { member, app, rp, browser } = await signInSetup();
    await grantApplication(member.id, app.application.id);
    const result = await browser.follow(`${rp.url}/login`);
    expect(result.body, JSON.stringify(result.hops, null, 1)).toBe(`Signed in as ${member.email}`);
    const session = [...rp.sessions.values()][0]!;
    expect(session.sub).toBe(member.id.toString());
    expect(session.sid).toBeTruthy();
    expect(session.refreshToken).toBeTruthy();
    expect(session.claims).toMatchObject({ name: member.fullName, preferred_username: member.username, email: member.email });
    const recorded = await db().applicationSignIn.findMany({ where: { applicationId: app.application.id } });
    expect(recorded).toMatchObject([{ userId: member.id, outcome: "granted" }]);
  });
});
