import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import * as oidc from "openid-client";

// The test rig's sample application: a minimal relying party built with
// openid-client (the certified client by oidc-provider's author) on node:http.
// It signs its users in through Tenure's issuer (authorization code + PKCE),
// keeps its own session cookie, refreshes, logs out (RP-initiated), and takes
// back-channel logout tokens, verified per Back-Channel Logout 1.0 against the
// issuer's JWKS, ending its own sessions of that sid/sub. `unavailable` makes
// it answer 503 everywhere, for retry tests.

export type TRelyingPartySession = {
  sub: string;
  sid: string | undefined;
  email: string | undefined;
  idToken: string;
  accessToken: string;
  refreshToken: string | undefined;
  claims: Record<string, unknown>;
};

export type TReceivedLogoutToken = { token: string; valid: boolean; error?: string; sid?: string; sub?: string; receivedAt: Date };

export type TRelyingParty = {
  url: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  backchannelLogoutUri: string;
  /** Every logout token posted to /backchannel-logout, valid or not, in order. */
  logoutTokens: TReceivedLogoutToken[];
  /** Live sessions, by the RP's own cookie value. */
  sessions: Map<string, TRelyingPartySession>;
  /** Errors of the last failed callback or refresh (what openid-client said). */
  errors: string[];
  unavailable: boolean;
  configuration(): Promise<oidc.Configuration>;
  stop(): Promise<void>;
};

const SESSION_COOKIE = "rp_session";
const PENDING_COOKIE = "rp_pending";
const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";

type TPending = { verifier: string; state: string; nonce: string };

function cookieOf(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string | string[]> = {}): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  response.end(body);
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export async function startRelyingParty(options: {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  scope?: string;
  /** false: leave PKCE out of the authorization request (abuse tests). */
  pkce?: boolean;
}): Promise<TRelyingParty> {
  const pending = new Map<string, TPending>();
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, `RP error: ${String(error)}`));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let configured: Promise<oidc.Configuration> | undefined;
  const configuration = () =>
    (configured ??= oidc.discovery(
      new URL(options.issuer),
      options.clientId,
      undefined,
      options.clientSecret ? oidc.ClientSecretBasic(options.clientSecret) : oidc.None(),
      { execute: [oidc.allowInsecureRequests] },
    ));
  const rp: TRelyingParty = {
    url,
    redirectUri: `${url}/callback`,
    postLogoutRedirectUri: `${url}/`,
    backchannelLogoutUri: `${url}/backchannel-logout`,
    logoutTokens: [],
    sessions: new Map(),
    errors: [],
    unavailable: false,
    configuration,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };

  async function login(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const config = await configuration();
    const requestUrl = new URL(request.url ?? "/", url);
    const checks: TPending = { verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
    const parameters: Record<string, string> = {
      redirect_uri: rp.redirectUri,
      scope: options.scope ?? "openid profile email",
      state: checks.state,
      nonce: checks.nonce,
    };
    if (options.pkce !== false) {
      parameters.code_challenge = await oidc.calculatePKCECodeChallenge(checks.verifier);
      parameters.code_challenge_method = "S256";
    }
    // Tests pass prompt, max_age or anything else through.
    for (const [key, value] of requestUrl.searchParams) parameters[key] = value;
    const id = randomBytes(16).toString("base64url");
    pending.set(id, checks);
    send(response, 303, "", { location: oidc.buildAuthorizationUrl(config, parameters).href, "set-cookie": `${PENDING_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax` });
  }

  async function callback(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const checks = pending.get(cookieOf(request, PENDING_COOKIE) ?? "");
    if (!checks) return send(response, 400, "No sign-in in progress");
    try {
      const tokens = await oidc.authorizationCodeGrant(await configuration(), new URL(request.url ?? "/", url), {
        pkceCodeVerifier: options.pkce === false ? undefined : checks.verifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      // Profile and email claims come from userinfo: the ID token carries them only when no access token is issued.
      const idClaims = tokens.claims()!;
      const claims = { ...(await oidc.fetchUserInfo(await configuration(), tokens.access_token, idClaims.sub)), ...idClaims };
      const id = randomBytes(16).toString("base64url");
      rp.sessions.set(id, {
        sub: claims.sub,
        sid: typeof claims.sid === "string" ? claims.sid : undefined,
        email: typeof claims.email === "string" ? claims.email : undefined,
        idToken: tokens.id_token!,
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        claims: { ...claims },
      });
      send(response, 303, "", { location: `${url}/`, "set-cookie": `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax` });
    } catch (error) {
      rp.errors.push(String((error as { error?: string }).error ?? (error as Error).message));
      send(response, 401, `Sign-in failed: ${(error as Error).message}`);
    }
  }

  async function refresh(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const id = cookieOf(request, SESSION_COOKIE) ?? "";
    const session = rp.sessions.get(id);
    if (!session?.refreshToken) return send(response, 401, "Signed out");
    try {
      const tokens = await oidc.refreshTokenGrant(await configuration(), session.refreshToken);
      Object.assign(session, { accessToken: tokens.access_token, refreshToken: tokens.refresh_token ?? session.refreshToken });
      send(response, 200, "Refreshed");
    } catch (error) {
      // A refused refresh means Tenure ended this member's access: the application's session ends too.
      rp.errors.push(String((error as { error?: string }).error ?? (error as Error).message));
      rp.sessions.delete(id);
      send(response, 401, "Refresh refused: signed out");
    }
  }

  async function logout(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const id = cookieOf(request, SESSION_COOKIE) ?? "";
    const session = rp.sessions.get(id);
    rp.sessions.delete(id);
    if (!session) return send(response, 303, "", { location: `${url}/` });
    const endSession = oidc.buildEndSessionUrl(await configuration(), { id_token_hint: session.idToken, post_logout_redirect_uri: rp.postLogoutRedirectUri });
    send(response, 303, "", { location: endSession.href, "set-cookie": `${SESSION_COOKIE}=; Path=/; Max-Age=0` });
  }

  async function backchannelLogout(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const token = (await readForm(request)).get("logout_token") ?? "";
    const received: TReceivedLogoutToken = { token, valid: false, receivedAt: new Date() };
    rp.logoutTokens.push(received);
    try {
      const config = await configuration();
      const metadata = config.serverMetadata();
      if (decodeProtectedHeader(token).typ !== "logout+jwt") throw new Error("typ is not logout+jwt");
      jwks ??= createRemoteJWKSet(new URL(metadata.jwks_uri!));
      const { payload } = await jwtVerify(token, jwks, {
        issuer: metadata.issuer,
        audience: options.clientId,
        algorithms: ["RS256"],
        requiredClaims: ["iat", "jti", "events"],
        maxTokenAge: "5 minutes",
      });
      const events = payload.events as Record<string, unknown> | undefined;
      if (!events || typeof events[BACKCHANNEL_LOGOUT_EVENT] !== "object") throw new Error("no back-channel logout event");
      if ("nonce" in payload) throw new Error("a logout token carries no nonce");
      const sid = typeof payload.sid === "string" ? payload.sid : undefined;
      const sub = typeof payload.sub === "string" ? payload.sub : undefined;
      if (!sid && !sub) throw new Error("neither sid nor sub");
      Object.assign(received, { valid: true, sid, sub });
      for (const [id, session] of rp.sessions) {
        if ((sid && session.sid === sid) || (!sid && sub && session.sub === sub)) rp.sessions.delete(id);
      }
      send(response, 200, "", { "cache-control": "no-store" });
    } catch (error) {
      received.error = (error as Error).message;
      send(response, 400, "invalid logout token");
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (rp.unavailable) return send(response, 503, "Unavailable");
    const path = new URL(request.url ?? "/", url).pathname;
    if (path === "/login") return login(request, response);
    if (path === "/callback") return callback(request, response);
    if (path === "/refresh" && request.method === "POST") return refresh(request, response);
    if (path === "/logout") return logout(request, response);
    if (path === "/backchannel-logout" && request.method === "POST") return backchannelLogout(request, response);
    if (path === "/") {
      const session = rp.sessions.get(cookieOf(request, SESSION_COOKIE) ?? "");
      return send(response, 200, session ? `Signed in as ${session.email ?? session.sub}` : "Signed out", { "content-type": "text/html; charset=utf-8" });
    }
    send(response, 404, "Not found");
  }

  return rp;
}
