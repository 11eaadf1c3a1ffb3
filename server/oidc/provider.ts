import { hkdfSync } from "node:crypto";
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { db } from "@/server/db/client";
import { serverEnv } from "@/server/env";
import { logUnexpectedError } from "@/server/unexpected-error";
import { CLAIMS_OF_SCOPE, findSignInMember, memberClaims } from "@/server/oidc/account-claims";
import { ApplicationClientAdapter, clientSecretMatches, clientSettings, EXTRA_CLIENT_METADATA } from "@/server/oidc/clients";
import { issuerUrl } from "@/server/oidc/issuer";
import { PayloadAdapter } from "@/server/oidc/payload-adapter";
import { renderProviderError, renderLogoutPrompt, renderLoggedOut } from "@/server/oidc/provider-pages";
import { loadSigningKeys, SIGNING_ALG } from "@/server/oidc/signing-keys";

// One oidc-provider instance per organisation (its own issuer), built on
// demand and kept per process. Everything it stores goes to PostgreSQL
// (payload-adapter.ts, clients.ts), so any number of web processes serve the
// same issuer; what a process keeps is only the built instance, rebuilt when
// the installation's signing keys change (a rotation in the console).

/** How often a process re-reads the key set's fingerprint: a rotation reaches every process within this. */
const KEY_CHECK_INTERVAL_MS = 5_000;
const SECONDS_PER_DAY = 24 * 60 * 60;

export type TTenantProvider = { provider: Provider; tenantId: bigint; slug: string; tenantName: string };
type TCached = TTenantProvider & { fingerprint: string; checkedAt: number };

const cache = new Map<string, TCached>();
const building = new Map<string, Promise<TTenantProvider | null>>();

/** oidc-provider signs its cookies; the keys come from NEXTAUTH_SECRET under their own label, never the secret itself. */
function cookieKeys(): string[] {
  return [Buffer.from(hkdfSync("sha256", serverEnv().NEXTAUTH_SECRET, "tenure", "tenure:oidc-provider-cookies:v1", 32)).toString("base64url")];
}

async function keyFingerprint(): Promise<string> {
  const rows = await db().$queryRaw<{ fingerprint: string | null }[]>`
    SELECT string_agg(kid || ':' || status, ',' ORDER BY id) AS fingerprint FROM oidc_signing_keys`;
  return rows[0]?.fingerprint ?? "";
}

/**
 * Every authorization comes to Tenure's interaction, which checks the Tenure
 * session and the member's access each time; oidc-provider's own session (its
 * cookie) never signs anyone in alone. Only the resumed authorization that
 * carries the interaction's result goes on.
 */
function interactionPolicyWithTenureCheck() {
  const policy = interactionPolicy.base();
  const { Check } = interactionPolicy;
  policy
    .get("login")!
    .checks.add(
      new Check("tenure_authorisation", "Tenure checks the member's session and access", (ctx) =>
        ctx.oidc.route === "resume" && ctx.oidc.result?.login ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT,
      ),
    );
  return policy;
}

function ttlSetting(pick: "accessTokenTtlSeconds" | "idTokenTtlSeconds" | "refreshTokenTtlSeconds", fallback: number) {
  return (_ctx: KoaContextWithOIDC, _token: unknown, client: unknown) => clientSettings(client)?.[pick] ?? fallback;
}

function configuration(tenantId: bigint, slug: string, jwks: { keys: object[] }): Configuration {
  const issuerPath = new URL(issuerUrl(slug)).pathname;
  return {
    adapter: (model: string) => (model === "Client" ? new ApplicationClientAdapter(db, tenantId) : new PayloadAdapter(db, tenantId, model)),
    clients: [],
    jwks,
    claims: Object.fromEntries(Object.entries(CLAIMS_OF_SCOPE).map(([scope, claims]) => [scope, [...claims]])),
    scopes: ["openid", "offline_access", ...Object.keys(CLAIMS_OF_SCOPE).filter((scope) => scope !== "openid")],
    extraClientMetadata: { properties: EXTRA_CLIENT_METADATA },
    async findAccount(ctx, subject) {
      const member = await findSignInMember(db(), tenantId, subject);
      if (!member) return undefined;
      const claimSets = clientSettings(ctx.oidc.client)?.claimSets ?? [];
      return { accountId: subject, claims: () => memberClaims(db(), member, claimSets) as ReturnType<typeof memberClaims> & Promise<{ sub: string }> };
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
      userinfo: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: renderLogoutPrompt, postLogoutSuccessSource: renderLoggedOut },
      claimsParameter: { enabled: false },
      registration: { enabled: false },
    },
    // Public clients cannot keep a secret: PKCE is their proof (oidc-provider accepts S256 only).
    pkce: { required: (_ctx, client) => client.clientAuthMethod === "none" },
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "none"],
    enabledJWA: {
      idTokenSigningAlgValues: [SIGNING_ALG],
      userinfoSigningAlgValues: [SIGNING_ALG],
      introspectionSigningAlgValues: [SIGNING_ALG],
      authorizationSigningAlgValues: [SIGNING_ALG],
      requestObjectSigningAlgValues: [SIGNING_ALG],
      clientAuthSigningAlgValues: [SIGNING_ALG],
    },
    responseTypes: ["code"],
    rotateRefreshToken: true,
    // Whenever the application may refresh, not only when it asked for offline_access: members leave by the lifecycle, which revokes.
    issueRefreshToken: (_ctx, client, code) => Promise.resolve(client.grantTypeAllowed("refresh_token") && code.scopes.has("openid")),
    // Tokens live by their own lifetimes (within the caps) and die when revoked, not with the browser's provider session.
    expiresWithSession: () => Promise.resolve(false),
    ttl: {
      AccessToken: ttlSetting("accessTokenTtlSeconds", 600),
      IdToken: ttlSetting("idTokenTtlSeconds", 600),
      RefreshToken: ttlSetting("refreshTokenTtlSeconds", 14 * SECONDS_PER_DAY),
      AuthorizationCode: 60,
      // Time to sign in to Tenure (with MFA) in the middle of an authorization.
      Interaction: 60 * 60,
      Session: 14 * SECONDS_PER_DAY,
      // As long as the longest refresh token may live: a refresh needs its grant.
      Grant: 90 * SECONDS_PER_DAY,
    },
    cookies: {
      keys: cookieKeys(),
      // Per issuer: several organisations on one host never share (or overwrite) each other's provider session.
      names: { session: "tenure_oidc_session", interaction: "tenure_oidc_interaction", resume: "tenure_oidc_resume" },
      long: { httpOnly: true, sameSite: "lax", path: issuerPath },
      short: { httpOnly: true, sameSite: "lax", path: issuerPath },
    },
    interactions: {
      policy: interactionPolicyWithTenureCheck(),
      url: (_ctx, interaction) => `${issuerPath}/interaction/${interaction.uid}`,
    },
    renderError: renderProviderError,
    /**
     * oidc-provider refuses to call private and loopback addresses (its guard
     * against dynamically registered clients pointing it inside the network).
     * Here only an organisation's admins register URIs (registration is off),
     * and a self-hosted directory's applications are usually on the private
     * network: its back-channel logout calls may reach them. Its 2.5 s
     * timeout stays.
     */
    fetch: (url, options) => globalThis.fetch(url, { ...options, dispatcher: undefined } as RequestInit),
    // Codes, refresh tokens and grants stay valid across the processes that share them; ours is the only discovery document.
    discovery: { service_documentation: undefined },
  };
}

async function build(slug: string): Promise<TCached | null> {
  const tenant = await db().tenant.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } });
  if (!tenant) return null;
  const fingerprint = await keyFingerprint();
  const keys = await loadSigningKeys(db());
  // Re-read after loading: loadSigningKeys may have made the first keys.
  const settled = fingerprint === "" ? await keyFingerprint() : fingerprint;
  const jwks = { keys: keys.map((key) => ({ ...key.privateJwk, kid: key.kid, alg: key.alg, use: "sig" })) };
  const provider = new Provider(issuerUrl(tenant.slug), configuration(tenant.id, tenant.slug, jwks));
  // The scheme and host are NEXTAUTH_URL's and the client's address is the one server/http worked out: mount.ts writes them as forwarded headers.
  provider.proxy = true;
  const tenantId = tenant.id;
  // oidc-provider would compare the stand-in secret; ours checks the stored hashes (current, or rotated out but not yet expired).
  provider.Client.prototype.compareClientSecret = function compareStoredSecret(this: { clientId: string }, presented: string) {
    return clientSecretMatches(db(), tenantId, this.clientId, presented);
  };
  provider.on("server_error", (_ctx, error) => logUnexpectedError(error, `OpenID provider (${tenant.slug})`));
  // An application that did not take its logout token (down, refusing it): worth an operator's look, not an error of ours.
  provider.on("backchannel.error", (_ctx, error, client) => {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
    console.warn(`[tenure] back-channel logout to ${client.clientId} (${tenant.slug}) failed: ${error instanceof Error ? error.message : "unknown error"}${cause}`);
  });
  return { provider, tenantId: tenant.id, slug: tenant.slug, tenantName: tenant.name, fingerprint: settled, checkedAt: Date.now() };
}

/**
 * The organisation's provider, or null for an unknown slug. Built once per
 * process; every few seconds one cheap query checks whether the signing keys
 * changed, and a change builds it again (stored state is unaffected).
 */
export async function providerForTenant(slug: string): Promise<TTenantProvider | null> {
  const cached = cache.get(slug);
  if (cached && Date.now() - cached.checkedAt < KEY_CHECK_INTERVAL_MS) return cached;
  if (cached && (await keyFingerprint()) === cached.fingerprint) {
    cached.checkedAt = Date.now();
    return cached;
  }
  let pending = building.get(slug);
  if (!pending) {
    pending = build(slug)
      .then((built) => {
        if (built) cache.set(slug, built);
        else cache.delete(slug);
        return built;
      })
      .finally(() => building.delete(slug));
    building.set(slug, pending);
  }
  return pending;
}

/** For tests and shutdown: forget every built provider. */
export function forgetProviders(): void {
  cache.clear();
}
