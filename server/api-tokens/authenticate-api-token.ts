import type { TDatabaseOrTransaction } from "@/server/db/client";
import { takeToken } from "@/server/rate-limits/token-bucket";
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

export type TApiTokenCaller = { tokenId: bigint; tenantId: bigint; name: string; scopes: TApiTokenScope[]; actor: TActor };

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
  const row = await db.apiToken.findUnique({
    where: { tokenHash: secretHash(token) },
    select: { id: true, tenantId: true, name: true, scopes: true, expiresAt: true, revokedAt: true, lastUsedAt: true, lastUsedAddress: true },
  });
  if (!row) return refuse({ status: 401, reason: "unknown", message: "This API token is not valid" });
  if (row.revokedAt) return refuse({ status: 401, reason: "revoked", message: "This API token was revoked" });
  if (row.expiresAt <= now) return refuse({ status: 401, reason: "expired", message: "This API token has expired" });
  if (!row.scopes.includes(scope)) return refuse({ status: 403, reason: "scope", message: `This API token does not carry the ${scope} scope` });

  const taken = await takeToken(db, `api-token:${row.id}`, API_TOKEN_RATE_LIMIT, now);
  if (!taken.allowed) {
    return refuse({ status: 429, reason: "rate_limited", message: "Too many requests with this API token: slow down", retryAfterSeconds: taken.retryAfterSeconds });
  }

  const address = request.address?.slice(0, 45) ?? null;
  const stale = !row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS || row.lastUsedAddress !== address;
  if (stale) await db.apiToken.updateMany({ where: { id: row.id, revokedAt: null }, data: { lastUsedAt: now, lastUsedAddress: address } });

  return {
    tokenId: row.id,
    tenantId: row.tenantId,
    name: row.name,
    scopes: row.scopes as TApiTokenScope[],
    actor: { tenantId: row.tenantId, memberId: null, apiTokenId: row.id, ipAddress: address, userAgent: request.userAgent ?? null },
  };
}
