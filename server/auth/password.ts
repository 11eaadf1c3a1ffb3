import { hash, verify, type Algorithm } from "@node-rs/argon2";

// Algorithm is a const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2ID_ALGORITHM = 2 as Algorithm.Argon2id;

// argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane).
const ARGON2ID = { algorithm: ARGON2ID_ALGORITHM, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// NIST SP 800-63B-4 asks for NFKC (or NFKD) before hashing, so the same
// passphrase typed on two keyboards (composed or decomposed accents) matches.
const normalise = (password: string) => password.normalize("NFKC");

export function hashPassword(password: string): Promise<string> {
  return hash(normalise(password), ARGON2ID);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, normalise(password));
  } catch {
    return false;
  }
}

/**
 * True when a stored hash is not argon2id or is weaker than today's parameters:
 * sign-in then re-hashes the password it has just verified.
 */
export function needsRehash(passwordHash: string): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(passwordHash);
  if (!match) return true;
  const [memoryCost, timeCost, parallelism] = match.slice(1).map(Number) as [number, number, number];
  return memoryCost < ARGON2ID.memoryCost || timeCost < ARGON2ID.timeCost || parallelism < ARGON2ID.parallelism;
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
