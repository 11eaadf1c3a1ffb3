import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { serverEnv } from "@/server/env";

// TOTP secrets are stored encrypted (AES-256-GCM), so a copy of the database
// (or a backup) does not let anyone make a member's codes. The key is derived
// from NEXTAUTH_SECRET with HKDF-SHA256 and a purpose label, so it is never the
// cookie key itself. Changing NEXTAUTH_SECRET therefore makes enrolled
// authenticators unusable: members sign in with a recovery code (hashes, not
// encrypted) and enrol again. The member id is bound in as associated data: a
// sealed secret copied onto another member's row does not open.

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

let cached: { secret: string; key: Buffer } | undefined;

function encryptionKey(): Buffer {
  const secret = serverEnv().NEXTAUTH_SECRET;
  if (cached?.secret !== secret) {
    cached = { secret, key: Buffer.from(hkdfSync("sha256", secret, "tenure", "tenure:mfa-secret:v1", 32)) };
  }
  return cached.key;
}

const associatedData = (userId: bigint) => Buffer.from(`member_mfa:${userId}`);

/** "v1.<base64url of iv | tag | ciphertext>" for the member_mfa row of `userId`. */
export function sealTotpSecret(secret: string, userId: bigint): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), iv);
  cipher.setAAD(associatedData(userId));
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url")}`;
}

/** The base32 secret back; throws when the value was tampered with, belongs to another member or another key. */
export function openTotpSecret(sealed: string, userId: bigint): string {
  const [version, payload] = sealed.split(".");
  if (version !== VERSION || !payload) throw new Error("Unknown sealed secret format");
  const bytes = Buffer.from(payload, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), bytes.subarray(0, IV_BYTES));
  decipher.setAAD(associatedData(userId));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
}
