import { createHash, randomBytes } from "node:crypto";

// An invitation link carries a random token; the database keeps only its
// SHA-256, so a copy of the database (or a backup) opens no account. The token
// has 256 bits of entropy, so a plain (unsalted, fast) hash is enough.

export const INVITATION_LIFETIME_DAYS = 7;

export function newInvitationToken(): string {
  return randomBytes(32).toString("base64url");
}

export function invitationTokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
