import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { db } from "@/server/db/client";
import { exportToEnvironment } from "@/server/env";
import { NO_TRUSTED_PROXIES } from "@/server/http/trusted-proxies";
import { createWebServer, listen } from "@/server/http/web-server";
import { issuerUrl } from "@/server/oidc/issuer";
import { withOpenIdProvider } from "@/server/oidc/mount";
import { Browser } from "./browser";
import { createSignedInMember, createTenant } from "./factories";
import { createOidcApplication } from "./oidc-applications";
import { startRelyingParty, type TRelyingParty } from "./relying-party";

// The OpenID tests' rig: Tenure's own HTTP server (server/http + the /oidc
// router) in the test's process, on a free port that is also NEXTAUTH_URL (so
// the issuer is where the relying parties reach it), and sample relying
// parties beside it. Next.js is not mounted: its pages (sign-in, denied,
// consent) are seen as the redirects that lead to them.

export type TOidcRig = { tenureUrl: string };

export function oidcRig(): TOidcRig {
  const rig: TOidcRig = { tenureUrl: "" };
  let server: Server;
  beforeAll(async () => {
    server = createWebServer(withOpenIdProvider((_request, response) => void response.writeHead(404).end("next")), NO_TRUSTED_PROXIES);
    await listen(server, 0, "127.0.0.1");
    rig.tenureUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    exportToEnvironment({ NEXTAUTH_URL: rig.tenureUrl });
  });
  afterAll(async () => {
    await Promise.all(parties.splice(0).map((party) => party.stop()));
    await new Promise((resolve) => server.close(resolve));
  });
  return rig;
}

const parties: TRelyingParty[] = [];

export async function relyingParty(options: Parameters<typeof startRelyingParty>[0]): Promise<TRelyingParty> {
  const party = await startRelyingParty(options);
  parties.push(party);
  return party;
}

export type TSignInSetup = Awaited<ReturnType<typeof signInSetup>>;

/**
 * An organisation, a signed-in member (a browser holding their Tenure
 * session), an application registered as a client with a relying party's
 * URIs, and that relying party. The member does not hold the application yet.
 */
export async function signInSetup(
  rig: TOidcRig,
  settings: Partial<Parameters<typeof createOidcApplication>[1]> = {},
  rpOptions: { scope?: string; pkce?: boolean; clientSecret?: string } = {},
) {
  const tenant = await createTenant();
  const { member, sessionId } = await createSignedInMember(tenant.id);
  const issuer = issuerUrl(tenant.slug);
  const app = await createOidcApplication(tenant.id, { redirectUris: ["http://127.0.0.1/placeholder"], ...settings });
  const rp = await relyingParty({ issuer, clientId: app.clientId, clientSecret: app.clientSecret, ...rpOptions });
  // The relying party's port is known only now: its URIs become the application's settings.
  await db().application.update({
    where: { id: app.application.id },
    data: {
      redirectUris: settings.redirectUris ?? [rp.redirectUri],
      postLogoutRedirectUris: [rp.postLogoutRedirectUri],
      backchannelLogoutUri: rp.backchannelLogoutUri,
    },
  });
  const browser = await Browser.signedIn(rig.tenureUrl, sessionId);
  return { tenant, member, sessionId, issuer, app, rp, browser };
}

/** Follows the sign-in from the relying party until Tenure redirects back to it with a code (not exchanged). */
export async function authorizationCode(setup: Pick<TSignInSetup, "browser" | "rp">, query = ""): Promise<string> {
  const result = await setup.browser.follow(`${setup.rp.url}/login${query}`, {}, (next) => next.startsWith(setup.rp.redirectUri));
  const code = new URL(result.url).searchParams.get("code");
  if (!code) throw new Error(`no code: ${JSON.stringify(result.hops)}`);
  return code;
}

/** A raw token request (as an application's server makes it), for the abuse tests. */
export async function tokenRequest(issuer: string, body: Record<string, string>, auth?: { clientId: string; clientSecret: string }): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (auth) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`).toString("base64")}`;
  return fetch(`${issuer}/token`, { method: "POST", headers, body: new URLSearchParams(body) });
}
