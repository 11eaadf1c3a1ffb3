import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// RFC 6238 TOTP on RFC 4226 HOTP, with node:crypto only: HMAC-SHA1, 30-second
// steps, 6 digits (what every authenticator app expects by default). Pure:
// the database side (replay, enrolment) is in the services beside this file.

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** A code of the step before or after now is accepted too: clocks drift and people type slowly. */
export const TOTP_SKEW_STEPS = 1;
/** RFC 4226 recommends 160 bits, the size of an HMAC-SHA1 key. */
const SECRET_BYTES = 20;

const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32 without padding, as otpauth:// URIs carry secrets. */
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let output = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return output;
}

/** Base32 as people copy it: any case, spaces and padding ignored. Throws on other characters. */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=]/g, "");
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const character of clean) {
    const index = BASE32_ALPHABET.indexOf(character);
    if (index < 0) throw new Error("Not a base32 secret");
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** A new shared secret, base32 (what the QR code and the "enter this key" fallback show). */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(SECRET_BYTES));
}

export type THotpOptions = { digits?: number; algorithm?: "sha1" | "sha256" | "sha512" };

/** RFC 4226: the HMAC of the 8-byte big-endian counter, dynamically truncated to `digits` decimal digits. */
export function hotp(key: Buffer, counter: bigint, options: THotpOptions = {}): string {
  const digits = options.digits ?? TOTP_DIGITS;
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(counter);
  const mac = createHmac(options.algorithm ?? "sha1", key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return binary.toString().padStart(digits, "0");
}

/** The 30-second step `now` falls in (RFC 6238's T, with T0 = 0). */
export function totpStep(now: Date): bigint {
  return BigInt(Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS));
}

/** The code an authenticator shows at `now` for this base32 secret. */
export function totpCode(secret: string, now: Date, options: THotpOptions = {}): string {
  return hotp(base32Decode(secret), totpStep(now), options);
}

/** Six digits as typed ("123 456" or "123-456" too), or null when it cannot be a TOTP code. */
export function normaliseTotpCode(code: string): string | null {
  const digits = code.replace(/[\s-]/g, "");
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(digits) ? digits : null;
}

/**
 * The step whose code this is, within ±1 step of now, and later than
 * `lastUsedStep` (a code, or an earlier one, that was already accepted is
 * refused: whoever watched it being typed cannot use it again). Null when it
 * matches none. Every candidate is compared in constant time.
 */
export function matchTotpStep(secret: string, code: string, now: Date, lastUsedStep: bigint | null): bigint | null {
  const typed = normaliseTotpCode(code);
  if (!typed) return null;
  const key = base32Decode(secret);
  const current = totpStep(now);
  let matched: bigint | null = null;
  for (let offset = -TOTP_SKEW_STEPS; offset <= TOTP_SKEW_STEPS; offset += 1) {
    const step = current + BigInt(offset);
    const expected = hotp(key, step);
    if (timingSafeEqual(Buffer.from(expected), Buffer.from(typed)) && matched === null) matched = step;
  }
  if (matched === null || (lastUsedStep !== null && matched <= lastUsedStep)) return null;
  return matched;
}
