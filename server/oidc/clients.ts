import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Adapter, AdapterPayload, ClientMetadata } from "oidc-provider";
import type { TDatabase } from "@/server/db/client";
import { hashClientSecret } from "@/server/oidc/client-secret-hash";
import { SIGNING_ALG } from "@/server/oidc/signing-keys";

// The organisation's applications are the issuer's clients: an application
// with an oidc_client_id, read from the database on every lookup (a change in
// the console applies to the next request of any web process). Nothing here
// writes: clients are managed in the console (server/applications/).

/** Scopes every client may ask for beside its claim sets. */
const BASE_SCOPES = ["openid", "offline_access"];

/**
 * oidc-provider insists on a client_secret in a confidential client's
 * metadata. We keep only hashes, so it gets a stand-in that is never compared
 * (compareClientSecret is replaced, below) and that nobody can know either:
 * random per process, never sent anywhere.
 */
const SECRET_STAND_IN = `unused-${randomBytes(32).toString("base64url")}`;

export type TClientSettings = {
  applicationId: string;
  firstParty: boolean;
  claimSets: string[];
  accessTokenTtlSeconds: number;
  idTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
};

/** Our own metadata, carried on the client (oidc-provider's extraClientMetadata). */
export const EXTRA_CLIENT_METADATA = ["tenure_settings"];

type TApplicationRow = {
  id: bigint;
  name: string;
  oidc_client_id: string;
  oidc_client_type: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  backchannel_logout_uri: string | null;
  first_party: boolean;
  access_token_ttl_seconds: number;
  id_token_ttl_seconds: number;
  refresh_token_ttl_seconds: number;
  claim_sets: string[];
};

export function clientMetadataOf(row: TApplicationRow): ClientMetadata {
  const confidential = row.oidc_client_type === "confidential";
  const settings: TClientSettings = {
    applicationId: row.id.toString(),
    firstParty: row.first_party,
    claimSets: row.claim_sets,
    accessTokenTtlSeconds: row.access_token_ttl_seconds,
    idTokenTtlSeconds: row.id_token_ttl_seconds,
    refreshTokenTtlSeconds: row.refresh_token_ttl_seconds,
  };
  return {
    client_id: row.oidc_client_id,
    client_name: row.name,
    ...(confidential ? { client_secret: SECRET_STAND_IN } : {}),
    application_type: "web",
    redirect_uris: row.redirect_uris,
    post_logout_redirect_uris: row.post_logout_redirect_uris,
    ...(row.backchannel_logout_uri ? { backchannel_logout_uri: row.backchannel_logout_uri, backchannel_logout_session_required: true } : {}),
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: confidential ? "client_secret_basic" : "none",
    id_token_signed_response_alg: SIGNING_ALG,
    scope: [...BASE_SCOPES, ...row.claim_sets].join(" "),
    tenure_settings: settings,
  };
}

/** Our settings of a client oidc-provider built from clientMetadataOf (extra metadata keeps its own key). */
export function clientSettings(client: unknown): TClientSettings | null {
  const settings = (client as { tenure_settings?: TClientSettings } | undefined)?.tenure_settings;
  return settings ?? null;
}

async function findApplicationRow(database: TDatabase, tenantId: bigint, clientId: string): Promise<TApplicationRow | undefined> {
  const rows = await database.$queryRaw<TApplicationRow[]>`
    SELECT id, name, oidc_client_id, oidc_client_type, redirect_uris, post_logout_redirect_uris, backchannel_logout_uri, first_party,
           access_token_ttl_seconds, id_token_ttl_seconds, refresh_token_ttl_seconds, claim_sets
    FROM applications WHERE tenant_id = ${tenantId} AND oidc_client_id = ${clientId}`;
  return rows[0];
}

/**
 * oidc-provider's 'Client' model, read-only, one organisation's applications
 * only: another organisation's client id is unknown at this issuer. An
 * application without a redirect URI cannot complete a sign-in: not a client yet.
 */
export class ApplicationClientAdapter implements Adapter {
  constructor(
    private readonly database: () => TDatabase,
    private readonly tenantId: bigint,
  ) {}

  async find(clientId: string): Promise<AdapterPayload | undefined> {
    if (clientId.length > 64 || clientId.includes("\u0000")) return undefined;
    const row = await findApplicationRow(this.database(), this.tenantId, clientId);
    if (!row || row.redirect_uris.length === 0) return undefined;
    return clientMetadataOf(row);
  }

  upsert(): Promise<void> {
    return Promise.reject(new Error("Clients are applications: managed in the console, not through the provider"));
  }
  findByUid(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  findByUserCode(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  consume(): Promise<void> {
    return Promise.resolve();
  }
  destroy(): Promise<void> {
    return Promise.resolve();
  }
  revokeByGrantId(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Whether `presented` is a valid secret of the client: its current one, or a
 * rotated-out one before its expiry. Every valid hash is compared in constant
 * time (a few rows per application), so the answer's timing says nothing of
 * how close a guess came.
 */
export async function clientSecretMatches(database: TDatabase, tenantId: bigint, clientId: string, presented: unknown): Promise<boolean> {
  if (typeof presented !== "string" || presented.length === 0 || presented.length > 512 || clientId.includes("\u0000")) return false;
  const rows = await database.$queryRaw<{ secret_hash: string }[]>`
    SELECT s.secret_hash FROM application_client_secrets s
    JOIN applications a ON a.id = s.application_id
    WHERE a.tenant_id = ${tenantId} AND s.tenant_id = ${tenantId} AND a.oidc_client_id = ${clientId} AND a.oidc_client_type = 'confidential'
      AND (s.expires_at IS NULL OR s.expires_at > now())`;
  const presentedHash = Buffer.from(hashClientSecret(presented), "hex");
  let matched = false;
  for (const row of rows) {
    const stored = Buffer.from(row.secret_hash, "hex");
    if (stored.length === presentedHash.length && timingSafeEqual(stored, presentedHash)) matched = true;
  }
  return matched;
}
