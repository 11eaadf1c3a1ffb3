import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createLocalJWKSet, jwtVerify, type JWK } from "jose";
import { BACKCHANNEL_LOGOUT_EVENT, LOGOUT_TOKEN_TTL_SECONDS, signLogoutTokenWith } from "@/server/oidc/backchannel-logout-token";

// The logout token is put together by hand and signed by node:crypto (on the
// thread pool, for bulk disables): a standard verifier must accept it as
// Back-Channel Logout 1.0 describes it, and reject it once altered.

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const publicJwk = { ...(publicKey.export({ format: "jwk" }) as JWK), kid: "key-1", alg: "RS256", use: "sig" };
const keys = createLocalJWKSet({ keys: [publicJwk] });
const input = { tenantSlug: "acme", clientId: "app_1", userId: 42n, sid: "sid-1" };

describe("a logout token signed with node:crypto", () => {
  it("verifies with jose as an RS256 logout+jwt carrying the member, the session and the event", async () => {
    const now = new Date();
    const token = await signLogoutTokenWith({ kid: "key-1", alg: "RS256", key: privateKey }, input, now);
    const { payload, protectedHeader } = await jwtVerify(token, keys, { audience: "app_1", typ: "logout+jwt", algorithms: ["RS256"] });
    expect(protectedHeader).toEqual({ alg: "RS256", kid: "key-1", typ: "logout+jwt" });
    expect(payload).toMatchObject({ sub: "42", sid: "sid-1", events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, iat: Math.floor(now.getTime() / 1000) });
    expect(payload.iss).toMatch(/\/oidc\/acme$/);
    expect(payload.exp! - payload.iat!).toBe(LOGOUT_TOKEN_TTL_SECONDS);
    expect(payload).not.toHaveProperty("nonce");
  });

  it("is refused once a claim is changed, and each token has its own jti", async () => {
    const token = await signLogoutTokenWith({ kid: "key-1", alg: "RS256", key: privateKey }, input);
    const [header, claims, signature] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(claims!, "base64url").toString()), sub: "43" })).toString("base64url");
    await expect(jwtVerify(`${header}.${forged}.${signature}`, keys)).rejects.toThrow(/signature/);
    const other = await signLogoutTokenWith({ kid: "key-1", alg: "RS256", key: privateKey }, input);
    const jti = (value: string) => (JSON.parse(Buffer.from(value.split(".")[1]!, "base64url").toString()) as { jti: string }).jti;
    expect(jti(other)).not.toBe(jti(token));
  });
});
