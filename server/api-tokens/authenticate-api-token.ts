import type { TDatabaseOrTransaction } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { queryPrepared } from "@/server/db/prepared-statements";
import { retryAfterSeconds, takeTokenSql } from "@/server/rate-limits/token-bucket";
import type { TActor } from "@/server/shared/actor";
import { secretHash } from "@/server/shared/random-secret";
import type { TApiTokenScope } from "@/server/api-tokens/api-token-schemas";

// Every request of a system outside (SCIM first) is authenticated here: the
// bearer token by its hash, refused when revoked or expired (on the very next
// request: nothing is cached), refused outside its scopes, and rate-limited per
// token. What it does is then attributed to it (TActor.apiTokenId).

/** Per token: bursts of 200 requests, 10 a second sustained (a full SCIM sync of a large organisation stays under it when paced). */
export const API_TOKEN_RATE_LIMIT = { capacity: 200, perSeconds: 20 } as const;
/** last_used_at is written at most this often per token (and whenever the address changes), not on every request. */
const LAST_USED_GRANULARITY_MS = 60 * 1000;

/** tenantNameOrder comes with the token's lookup: a creation composes full names in it without reading the organisation again. */
export type TApiTokenCaller = { tokenId: bigint; tenantId: bigint; name: string; scopes: TApiTokenScope[]; tenantNameOrder: string; actor: TActor };

type TTokenRow = {
  id: bigint;
  tenant_id: bigint;
  name: string;
  scopes: string[];
  expires_at: Date;
  revoked_at: Date | null;
  name_order: string;
  allowed: boolean;
};

export type TApiTokenRefusal =
  | { status: 401; reason: "missing" | "unknown" | "revoked" | "expired"; message: string }
  | { status: 403; reason: "scope"; message: string }
  | { status: 429; reason: "rate_limited"; message: string; retryAfterSeconds: number };

export class ApiTokenRefusedError extends Error {
  constructor(readonly refusal: TApiTokenRefusal) {
    super(refusal.message);
    this.name = "ApiTokenRefusedError";
  }
}

const refuse = (refusal: TApiTokenRefusal): never => {
  throw new ApiTokenRefusedError(refusal);
};

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(authorization: string | null | undefined): string | null {
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(authorization ?? "");
  return match && match[1]!.length <= 200 ? match[1]! : null;
}

export async function authenticateApiToken(
  db: TDatabaseOrTransaction,
  request: { authorization: string | null | undefined; address: string | null; userAgent?: string | null },
  scope: TApiTokenScope,
  now = new Date(),
): Promise<TApiTokenCaller> {
  const token = bearerToken(request.authorization);
  if (!token) return refuse({ status: 401, reason: "missing", message: "Send an API token as Authorization: Bearer <token>" });
  const address = request.address?.slice(0, 45) ?? null;
  // One round trip, its own statement (never in a caller's transaction): the lookup, the rate
  // limit's token (only for a usable token: a refusal costs nothing) and the last-used note (only when stale).
  const [row] = await queryPrepared<TTokenRow>(Prisma.sql`
    WITH token AS (
      SELECT t.id, t.tenant_id, t.name, t.scopes, t.expires_at, t.revoked_at, t.last_used_at, t.last_used_address, tn.name_order
      FROM api_tokens t JOIN tenants tn ON tn.id = t.tenant_id WHERE t.token_hash = ${secretHash(token)}
    ), usable AS (
      SELECT id, last_used_at, last_used_address FROM token WHERE revoked_at IS NULL AND expires_at > ${now}::timestamptz AND ${scope}::text = ANY(scopes)
    ), taken AS (
      ${takeTokenSql(Prisma.sql`SELECT 'api-token:' || id AS key FROM usable`, API_TOKEN_RATE_LIMIT, now)}
    ), touched AS (
      UPDATE api_tokens SET last_used_at = ${now}::timestamptz, last_used_address = ${address}::text
      FROM usable WHERE api_tokens.id = usable.id AND api_tokens.revoked_at IS NULL AND EXISTS (SELECT 1 FROM taken)
        AND (usable.last_used_at IS NULL OR usable.last_used_at <= ${now}::timestamptz - ${LAST_USED_GRANULARITY_MS} * interval '1 millisecond'
             OR usable.last_used_address IS DISTINCT FROM ${address}::text)
      RETURNING api_tokens.id
    )
    SELECT token.id, token.tenant_id, token.name, token.scopes, token.expires_at, token.revoked_at, token.name_order, EXISTS (SELECT 1 FROM taken) AS allowed
    FROM token`);
  if (!row) return refuse({ status: 401, reason: "unknown", message: "This API token is not valid" });
  if (row.revoked_at) return refuse({ status: 401, reason: "revoked", message: "This API token was revoked" });
  if (row.expires_at <= now) return refuse({ status: 401, reason: "expired", message: "This API token has expired" });
  if (!row.scopes.includes(scope)) return refuse({ status: 403, reason: "scope", message: `This API token does not carry the ${scope} scope` });
  if (!row.allowed) {
    const retryAfter = await retryAfterSeconds(db, `api-token:${row.id}`, API_TOKEN_RATE_LIMIT, now);
    return refuse({ status: 429, reason: "rate_limited", message: "Too many requests with this API token: slow down", retryAfterSeconds: retryAfter });
  }

  return {
    tokenId: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    scopes: row.scopes as TApiTokenScope[],
    tenantNameOrder: row.name_order,
    actor: { tenantId: row.tenant_id, memberId: null, apiTokenId: row.id, ipAddress: address, userAgent: request.userAgent ?? null },
  };
}
