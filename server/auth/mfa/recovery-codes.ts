import { createHash, randomBytes } from "node:crypto";

// Ten one-time recovery codes, shown once: 16 characters of a 32-letter
// alphabet (80 bits each), so a plain SHA-256 is enough to store them (no
// guessing a code from its hash). The alphabet leaves out i, l, o and u,
// which are easy to misread.

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const LENGTH = 16;

/** One code, in groups of four for reading aloud: "k3m9-x2qa-…". */
export function newRecoveryCode(): string {
  const bytes = randomBytes(LENGTH);
  const characters = [...bytes].map((byte) => ALPHABET[byte & 31]).join("");
  return characters.match(/.{4}/g)!.join("-");
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
}

/** A code as typed (any case, with or without dashes and spaces) in the form that is hashed, or null when it cannot be one. */
export function normaliseRecoveryCode(code: string): string | null {
  const clean = code.toLowerCase().replace(/[\s-]/g, "");
  return clean.length === LENGTH && [...clean].every((character) => ALPHABET.includes(character)) ? clean : null;
}

export function recoveryCodeHash(code: string): string {
  return createHash("sha256").update(normaliseRecoveryCode(code) ?? code, "utf8").digest("hex");
}
