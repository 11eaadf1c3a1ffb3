import { randomUUID } from "node:crypto";
import { importJWK, SignJWT } from "jose";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import { issuerUrl, subjectOf } from "@/server/oidc/issuer";
import { currentSigningKey } from "@/server/oidc/signing-keys";

// A logout token, as OpenID Connect Back-Channel Logout 1.0 (section 2.4)
// defines it: a JWT signed like the issuer's ID tokens, naming the member
// (sub) and the application's session (sid), with the back-channel logout
// event and no nonce, typed "logout+jwt" so it cannot pass for an ID token.

export const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";
/** Short: the token is posted at once; a retry signs a fresh one. */
export const LOGOUT_TOKEN_TTL_SECONDS = 120;
/** The signing key is re-read at most this often (a rotation is seen within it; the retired key stays published a day). */
const KEY_CACHE_MS = 10_000;

type TCachedKey = { kid: string; alg: string; key: CryptoKey | Uint8Array; readAt: number };
let cachedKey: Promise<TCachedKey> | null = null;

async function signingKey(db: TDatabaseOrTransaction): Promise<TCachedKey> {
  const cached = cachedKey ? await cachedKey.catch(() => null) : null;
  if (cached && Date.now() - cached.readAt < KEY_CACHE_MS) return cached;
  cachedKey = (async () => {
    const current = await currentSigningKey(db);
    return { kid: current.kid, alg: current.alg, key: await importJWK(current.privateJwk, current.alg), readAt: Date.now() };
  })();
  return cachedKey;
}

export type TLogoutTokenInput = { tenantSlug: string; clientId: string; userId: bigint; sid: string };

export async function signLogoutToken(db: TDatabaseOrTransaction, input: TLogoutTokenInput, now = new Date()): Promise<string> {
  const { kid, alg, key } = await signingKey(db);
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ sid: input.sid, events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } })
    .setProtectedHeader({ alg, kid, typ: "logout+jwt" })
    .setIssuer(issuerUrl(input.tenantSlug))
    .setAudience(input.clientId)
    .setSubject(subjectOf(input.userId))
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + LOGOUT_TOKEN_TTL_SECONDS)
    .setJti(randomUUID())
    .sign(key);
}
