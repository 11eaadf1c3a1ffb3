import { createPrivateKey, randomUUID, sign, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { SignJWT } from "jose";
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
/** The current key's id is re-read at most this often (a rotation is seen within it; the retired key stays published a day). */
const KEY_CHECK_MS = 10_000;

/** The private key, unsealed and imported once per process and key: a bulk disable signs 50,000 tokens. */
export type TLogoutSigningKey = { kid: string; alg: string; key: KeyObject; checkedAt: number };
let cachedKey: Promise<TLogoutSigningKey> | null = null;

async function signingKey(db: TDatabaseOrTransaction): Promise<TLogoutSigningKey> {
  const cached = cachedKey ? await cachedKey.catch(() => null) : null;
  if (cached && Date.now() - cached.checkedAt < KEY_CHECK_MS) return cached;
  cachedKey = (async () => {
    if (cached) {
      const [current] = await db.$queryRaw<{ kid: string }[]>`SELECT kid FROM oidc_signing_keys WHERE status = 'current'`;
      if (current?.kid === cached.kid) return { ...cached, checkedAt: Date.now() };
    }
    const current = await currentSigningKey(db);
    return { kid: current.kid, alg: current.alg, key: createPrivateKey({ key: current.privateJwk, format: "jwk" }), checkedAt: Date.now() };
  })();
  return cachedKey;
}

export type TLogoutTokenInput = { tenantSlug: string; clientId: string; userId: bigint; sid: string };

export async function signLogoutToken(db: TDatabaseOrTransaction, input: TLogoutTokenInput, now = new Date()): Promise<string> {
  return signLogoutTokenWith(await signingKey(db), input, now);
}

const signAsync = promisify(sign);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

export async function signLogoutTokenWith(signing: Pick<TLogoutSigningKey, "kid" | "alg" | "key">, input: TLogoutTokenInput, now = new Date()): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const header = { alg: signing.alg, kid: signing.kid, typ: "logout+jwt" };
  const claims = {
    iss: issuerUrl(input.tenantSlug),
    aud: input.clientId,
    sub: subjectOf(input.userId),
    iat: issuedAt,
    exp: issuedAt + LOGOUT_TOKEN_TTL_SECONDS,
    jti: randomUUID(),
    sid: input.sid,
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  };
  if (signing.alg !== "RS256") return new SignJWT(claims).setProtectedHeader(header).sign(signing.key);
  // RS256 (RSASSA-PKCS1-v1_5 with SHA-256) by node:crypto's callback form, which runs on libuv's
  // thread pool: WebCrypto's (jose's) signs mostly on the event loop, and RSA signing is most of a delivery's CPU.
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  const signature = await signAsync("sha256", Buffer.from(signingInput), signing.key);
  return `${signingInput}.${signature.toString("base64url")}`;
}
