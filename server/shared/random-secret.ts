import { createHash, randomBytes } from "node:crypto";

// Secrets Tenure makes and shows once (API tokens, client secrets): 32 random
// bytes behind a prefix that says what they are (secret scanners and people
// recognise them). Only their SHA-256 is stored: a secret nobody chose needs no
// slow hash, and a fast one keeps every authenticated request fast.

export function newRandomSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/** Hex SHA-256 of a secret, as stored. */
export function secretHash(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** The last four characters, stored beside the hash so admins can tell secrets apart. */
export function secretHint(secret: string): string {
  return secret.slice(-4);
}
