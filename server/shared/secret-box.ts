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

const keys = new Map<string, { secret: string; key: Buffer }>();

/** One key per purpose label, so a value sealed for one use never opens as another. */
function encryptionKey(purpose: string): Buffer {
  const secret = serverEnv().NEXTAUTH_SECRET;
  const cached = keys.get(purpose);
  if (cached?.secret === secret) return cached.key;
  const key = Buffer.from(hkdfSync("sha256", secret, "tenure", `tenure:${purpose}:v1`, 32));
  keys.set(purpose, { secret, key });
  return key;
}

/** "v1.<base64url of iv | tag | ciphertext>", bound to its purpose and to `boundTo` (associated data). */
export function sealValue(purpose: string, boundTo: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(purpose), iv);
  cipher.setAAD(Buffer.from(boundTo));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url")}`;
}

/** The plaintext back; throws when the value was tampered with, is bound elsewhere or sealed under another key. */
export function openValue(purpose: string, boundTo: string, sealed: string): string {
  const [version, payload] = sealed.split(".");
  if (version !== VERSION || !payload) throw new Error("Unknown sealed secret format");
  const bytes = Buffer.from(payload, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(purpose), bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(boundTo));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
}

const TOTP_PURPOSE = "mfa-secret";
const associatedData = (userId: bigint) => `member_mfa:${userId}`;

/** A TOTP secret sealed for the member_mfa row of `userId`. */
export function sealTotpSecret(secret: string, userId: bigint): string {
  return sealValue(TOTP_PURPOSE, associatedData(userId), secret);
}

/** The base32 secret back; throws when the value was tampered with, belongs to another member or another key. */
export function openTotpSecret(sealed: string, userId: bigint): string {
  return openValue(TOTP_PURPOSE, associatedData(userId), sealed);
}
