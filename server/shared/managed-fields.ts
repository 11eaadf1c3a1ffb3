import type { TDatabaseOrTransaction } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { ValidationError } from "@/server/errors";
import { MANAGED_FIELDS, type TManagedField } from "@/server/shared/managed-field-names";

// Fields a directory manages (issue 13): a member synced from LDAP has the
// fields their directory's mapping fills read-only everywhere but the sync
// itself (console, import, self-service); likewise a member a SCIM client
// provisions (issue 16), for every field a SCIM User carries. Here, below every domain, so the
// members, import and self-service services all ask the same question.

export { MANAGED_FIELDS, type TManagedField } from "@/server/shared/managed-field-names";

/** The fields a stored mapping (directories.attribute_mapping) fills: those mapped to an attribute. */
export function mappedFields(mapping: unknown): TManagedField[] {
  const record = typeof mapping === "object" && mapping !== null ? (mapping as Record<string, unknown>) : {};
  return MANAGED_FIELDS.filter((field) => typeof record[field] === "string" && record[field] !== "");
}

/**
 * Who manages a member's fields, and which: their LDAP directory, else the
 * SCIM client (named by its API token) that provisioned them; null for a
 * member nobody outside Tenure manages.
 */
export type TManagedBy = {
  /** The LDAP directory; null when a SCIM client manages the member. */
  directoryId: string | null;
  /** The directory's name, or the API token's. */
  directoryName: string;
  fields: TManagedField[];
  /** The directory signs its members in by LDAP bind: their password is the directory's (server/sign-in). */
  passwordByDirectory: boolean;
  /** The SCIM client's API token, when it (not a directory) manages the member. */
  apiTokenId?: string;
};

/** What a SCIM User carries (server/scim/scim-user-input.ts): a PUT from the client rewrites each of them. */
export const SCIM_MANAGED_FIELDS: TManagedField[] = ["username", "email", "firstName", "lastName", "fullName", "mobile", "title", "landline", "country"];

/**
 * A SCIM client's fields are read-only in the console for the reason a
 * directory's are: the identity provider is the source of truth and never
 * reads Tenure back, so an edit here would silently diverge, then be
 * overwritten at its next push. Only while the client can still push: a
 * member it DELETEd, or whose token was revoked or expired, is Tenure's again.
 */
async function scimManagedBy(db: TDatabaseOrTransaction, tenantId: bigint, memberId: bigint): Promise<TManagedBy | null> {
  const [row] = await db.$queryRaw<{ id: bigint; name: string }[]>`
    SELECT t.id, t.name FROM scim_identities s JOIN api_tokens t ON t.id = s.api_token_id AND t.tenant_id = s.tenant_id
    WHERE s.user_id = ${memberId} AND s.tenant_id = ${tenantId} AND s.deprovisioned_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > now()`;
  return row ? { directoryId: null, directoryName: row.name, fields: SCIM_MANAGED_FIELDS, passwordByDirectory: false, apiTokenId: row.id.toString() } : null;
}

export async function memberManagedBy(db: TDatabaseOrTransaction, tenantId: bigint, memberId: bigint): Promise<TManagedBy | null> {
  const [row] = await db.$queryRaw<{ id: bigint; name: string; attribute_mapping: unknown; sign_in_by_bind: boolean }[]>`
    SELECT d.id, d.name, d.attribute_mapping, d.sign_in_by_bind FROM users u JOIN directories d ON d.id = u.user_directory_id AND d.tenant_id = u.tenant_id
    WHERE u.id = ${memberId} AND u.tenant_id = ${tenantId}`;
  if (!row) return scimManagedBy(db, tenantId, memberId);
  return { directoryId: row.id.toString(), directoryName: row.name, fields: mappedFields(row.attribute_mapping), passwordByDirectory: row.sign_in_by_bind };
}

export const managedFieldMessage = (managedBy: Pick<TManagedBy, "directoryName" | "apiTokenId">) =>
  managedBy.apiTokenId ? `Managed by ${managedBy.directoryName}: change it in the identity provider that provisions this member` : `Managed by ${managedBy.directoryName}: change it in the directory`;

/** The writer is the manager itself: the directory's sync (an actor with its id), or a SCIM client of the organisation. */
function writesAsManager(managedBy: TManagedBy, writer: { directoryId?: bigint | null; apiTokenId?: bigint | null }): boolean {
  if (managedBy.apiTokenId) return writer.apiTokenId != null;
  return writer.directoryId != null && writer.directoryId.toString() === managedBy.directoryId;
}

/**
 * Refuses a change of managed fields, naming each field and who manages it;
 * values left as they are pass. The manager itself writes them freely.
 * `changed` are the fields the edit would change.
 */
export function assertManagedFieldsUnchanged(managedBy: TManagedBy | null, changed: readonly string[], writer: { directoryId?: bigint | null; apiTokenId?: bigint | null }): void {
  if (!managedBy || writesAsManager(managedBy, writer)) return;
  const refused = changed.filter((field) => (managedBy.fields as readonly string[]).includes(field));
  if (refused.length === 0) return;
  const message = managedFieldMessage(managedBy);
  const owner = managedBy.apiTokenId ? `the identity provider using the API token ${managedBy.directoryName}` : `the directory ${managedBy.directoryName}`;
  throw new ValidationError(`Some of these fields are managed by ${owner}`, Object.fromEntries(refused.map((field) => [field, [message]])));
}

/**
 * SQL: the member (the `users` row aliased `alias`) signs in with their directory's password (sign-in by LDAP
 * bind), so Tenure has no password of theirs to set, invite for, reset or change.
 */
export function passwordByDirectorySql(alias: string): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM directories pd WHERE pd.id = ${Prisma.raw(`${alias}.user_directory_id`)} AND pd.sign_in_by_bind)`;
}
