import type { TDatabaseOrTransaction } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { ValidationError } from "@/server/errors";
import { MANAGED_FIELDS, type TManagedField } from "@/server/shared/managed-field-names";

// Fields a directory manages (issue 13): a member synced from LDAP has the
// fields their directory's mapping fills read-only everywhere but the sync
// itself (console, import, self-service). Here, below every domain, so the
// members, import and self-service services all ask the same question.

export { MANAGED_FIELDS, type TManagedField } from "@/server/shared/managed-field-names";

/** The fields a stored mapping (directories.attribute_mapping) fills: those mapped to an attribute. */
export function mappedFields(mapping: unknown): TManagedField[] {
  const record = typeof mapping === "object" && mapping !== null ? (mapping as Record<string, unknown>) : {};
  return MANAGED_FIELDS.filter((field) => typeof record[field] === "string" && record[field] !== "");
}

/** The directory that manages a member's fields, and which: null for a member no directory manages. */
export type TManagedBy = {
  directoryId: string;
  directoryName: string;
  fields: TManagedField[];
  /** The directory signs its members in by LDAP bind: their password is the directory's (server/sign-in). */
  passwordByDirectory: boolean;
};

export async function memberManagedBy(db: TDatabaseOrTransaction, tenantId: bigint, memberId: bigint): Promise<TManagedBy | null> {
  const [row] = await db.$queryRaw<{ id: bigint; name: string; attribute_mapping: unknown; sign_in_by_bind: boolean }[]>`
    SELECT d.id, d.name, d.attribute_mapping, d.sign_in_by_bind FROM users u JOIN directories d ON d.id = u.user_directory_id AND d.tenant_id = u.tenant_id
    WHERE u.id = ${memberId} AND u.tenant_id = ${tenantId}`;
  return row
    ? { directoryId: row.id.toString(), directoryName: row.name, fields: mappedFields(row.attribute_mapping), passwordByDirectory: row.sign_in_by_bind }
    : null;
}

export const managedFieldMessage = (directoryName: string) => `Managed by ${directoryName}: change it in the directory`;

/**
 * Refuses a change of managed fields, naming each field and the directory;
 * values left as they are pass. The directory's own sync (an actor with its
 * id) writes them freely. `changed` are the fields the edit would change.
 */
export function assertManagedFieldsUnchanged(managedBy: TManagedBy | null, changed: readonly string[], writer: { directoryId?: bigint | null }): void {
  if (!managedBy || (writer.directoryId != null && writer.directoryId.toString() === managedBy.directoryId)) return;
  const refused = changed.filter((field) => (managedBy.fields as readonly string[]).includes(field));
  if (refused.length === 0) return;
  const message = managedFieldMessage(managedBy.directoryName);
  throw new ValidationError(`Some of these fields are managed by the directory ${managedBy.directoryName}`, Object.fromEntries(refused.map((field) => [field, [message]])));
}

/**
 * SQL: the member (the `users` row aliased `alias`) signs in with their directory's password (sign-in by LDAP
 * bind), so Tenure has no password of theirs to set, invite for, reset or change.
 */
export function passwordByDirectorySql(alias: string): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM directories pd WHERE pd.id = ${Prisma.raw(`${alias}.user_directory_id`)} AND pd.sign_in_by_bind)`;
}
