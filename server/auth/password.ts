import { hash, verify, type Algorithm } from "@node-rs/argon2";

// Algorithm is a const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2ID_ALGORITHM = 2 as Algorithm.Argon2id;

// argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane).
const ARGON2ID = { algorithm: ARGON2ID_ALGORITHM, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let decoyHash: Promise<string> | undefined;

/**
 * Spends the same hashing work as a real check, so that an unknown account
 * cannot be told from a wrong password by timing.
 */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword("tenure-decoy-password-never-valid");
  await verifyPassword(await decoyHash, password);
  return false;
}
