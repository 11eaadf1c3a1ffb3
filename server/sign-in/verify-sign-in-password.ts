import type { TDatabaseOrTransaction } from "@/server/db/client";
import type { TSignInAccount } from "@/server/auth/find-sign-in-account";
import { verifyAgainstDecoy, verifyPassword } from "@/server/auth/password";
import { loadDirectory } from "@/server/directories/load-directory";
import { DirectoryConnectionError, verifyByBind } from "@/server/directories/ldap-connection";
import { logUnexpectedError } from "@/server/unexpected-error";

/** A bind is a network round trip or two; a directory that hangs is "unreachable", not a stuck sign-in. */
const BIND_TIMEOUT_MS = 10_000;

export type TPasswordCheck = "right" | "wrong" | "unreachable";

/**
 * The one place sign-in checks a password. A member whose directory signs in
 * by LDAP bind is checked by binding as their entry (their local hash, if any,
 * is ignored: the directory is the source of truth); everyone else against
 * their argon2id hash. Every path costs at least one argon2id verification (a
 * decoy one for unknown accounts and bind members alike), so the answer's
 * timing does not tell an unknown login from a real one; a bind member's
 * answer also waits for the directory. A directory that cannot answer is
 * "unreachable": never a yes, and never counted as a wrong password.
 */
export async function verifySignInPassword(db: TDatabaseOrTransaction, tenantId: bigint | null, member: TSignInAccount | null, password: string): Promise<TPasswordCheck> {
  if (member && tenantId !== null && member.bindDirectoryId !== null) {
    const [, bound] = await Promise.all([verifyAgainstDecoy(password), bindAsMember(db, tenantId, member.bindDirectoryId, member.directoryDn, password)]);
    return bound;
  }
  if (member?.passwordHash) return (await verifyPassword(member.passwordHash, password)) ? "right" : "wrong";
  await verifyAgainstDecoy(password);
  return "wrong";
}

async function bindAsMember(db: TDatabaseOrTransaction, tenantId: bigint, directoryId: bigint, dn: string | null, password: string): Promise<TPasswordCheck> {
  if (!dn) return "wrong";
  try {
    const { connection } = await loadDirectory(db, tenantId, directoryId);
    return (await verifyByBind({ ...connection, timeoutMs: BIND_TIMEOUT_MS }, dn, password)) ? "right" : "wrong";
  } catch (error) {
    // The operator needs to know; the member gets "try again shortly", not a wrong password.
    if (error instanceof DirectoryConnectionError) console.warn(`[tenure] sign-in by LDAP bind: directory ${directoryId} unreachable: ${error.message}`);
    else logUnexpectedError(error, `sign-in by LDAP bind (directory ${directoryId})`);
    return "unreachable";
  }
}
