import { createHash, randomBytes } from "node:crypto";

// An application's client secret is 32 random bytes (base64url, 43 characters),
// shown once. Only its SHA-256 is stored: a secret nobody chose needs no slow
// hash, and a fast one keeps the token endpoint fast.

export const CLIENT_SECRET_PREFIX = "tnr_cs_";

export function newClientSecret(): string {
  return `${CLIENT_SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/** Hex SHA-256 of the secret, as stored in application_client_secrets.secret_hash. */
export function hashClientSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** The last four characters, stored as the secret's hint. */
export function clientSecretHint(secret: string): string {
  return secret.slice(-4);
}
