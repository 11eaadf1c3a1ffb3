import type { TDatabaseOrTransaction } from "@/server/db/client";

// A member of a directory that signs in by LDAP bind has the directory's
// password, not one of ours: Tenure neither changes nor resets it (it would
// not be the one that signs them in). Read with the directory's name, which
// the refusals and the forgot-password mail give.

/** The name of the directory that owns the member's password, or null when the password is Tenure's. */
export async function passwordManagedByDirectory(db: TDatabaseOrTransaction, tenantId: bigint, memberId: bigint): Promise<string | null> {
  const [row] = await db.$queryRaw<{ name: string }[]>`
    SELECT d.name FROM users u JOIN directories d ON d.id = u.user_directory_id AND d.tenant_id = u.tenant_id
    WHERE u.id = ${memberId} AND u.tenant_id = ${tenantId} AND d.sign_in_by_bind`;
  return row?.name ?? null;
}

export function directoryPasswordMessage(directoryName: string): string {
  return `Your password is managed by your organisation's directory (${directoryName}): change or reset it there, as you usually would.`;
}
