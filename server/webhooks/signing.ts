import { createHmac, randomBytes } from "node:crypto";
import { sealValue, openValue } from "@/server/shared/secret-box";

// Standard Webhooks (https://www.standardwebhooks.com): the signed content is
// "<webhook-id>.<webhook-timestamp>.<body>", signed with HMAC-SHA256 under the
// base64-decoded secret; the header lists "v1,<base64 signature>" per secret,
// space separated, so during a rotation's overlap a receiver holding either
// secret verifies. The secret is sealed at rest, never hashed: signing needs it.

const SECRET_PREFIX = "whsec_";
/** 32 random bytes: the specification allows 24 to 64. */
const SECRET_BYTES = 32;

export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString("base64")}`;
}

function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64");
}

export function webhookSignature(secret: string, webhookId: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac("sha256", secretKey(secret)).update(`${webhookId}.${timestampSeconds}.${body}`).digest("base64")}`;
}

/** The three headers of one attempt, signed with every secret given (current first). */
export function signedHeaders(secrets: string[], webhookId: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    "webhook-id": webhookId,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": secrets.map((secret) => webhookSignature(secret, webhookId, timestampSeconds, body)).join(" "),
  };
}

const PURPOSE = "webhook-secret";
const boundTo = (endpointId: bigint) => `webhook_endpoints:${endpointId}`;

/** Sealed for the endpoint's row: a sealed secret copied onto another endpoint does not open. */
export function sealWebhookSecret(endpointId: bigint, secret: string): string {
  return sealValue(PURPOSE, boundTo(endpointId), secret);
}

export function openWebhookSecret(endpointId: bigint, sealed: string): string {
  return openValue(PURPOSE, boundTo(endpointId), sealed);
}
