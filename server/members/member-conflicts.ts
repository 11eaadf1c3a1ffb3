import type { TDatabaseOrTransaction } from "@/server/db/client";
import { ArchivedHolderConflictError, ConflictError, violatedUniqueIndex } from "@/server/errors";

const FIELD_BY_INDEX: Record<string, { field: string; message: string }> = {
  users_tenant_id_username_key: { field: "username", message: "This username is already taken in your organisation" },
  users_tenant_id_email_key: { field: "email", message: "This email address is already used by another member" },
  users_tenant_id_mobile_key: { field: "mobile", message: "This mobile number is already used by another member" },
};

/** Turns a unique violation on the member record into a field error the form can show. */
export function asMemberConflict(error: unknown): unknown {
  const index = violatedUniqueIndex(error);
  if (index === null) return error;
  const match = FIELD_BY_INDEX[index];
  if (!match) return new ConflictError("This member conflicts with another one");
  return new ConflictError(match.message, { [match.field]: [match.message] });
}

/** What a member reads about their own details (specification: member-lifecycle, "Can't register again"). */
export const ARCHIVED_MEMBER_CONFLICT = "The user has been archived, please contact the administrator to unarchive";

const FIELD_NOUNS: Record<string, string> = { username: "username", email: "email address", mobile: "mobile number" };

/** What an admin reads: whose record holds the value, and what to do (the form links to the record). */
export function archivedHolderMessage(field: string, holder: { fullName: string } | null): string {
  const who = holder ? `${holder.fullName}, an archived member` : "an archived member";
  return `This ${FIELD_NOUNS[field] ?? field} belongs to ${who}: unarchive them to use it again, or choose another`;
}

/**
 * As asMemberConflict, and when the username, email or mobile belongs to an
 * archived member (or one in the recycle bin) it says so: such a member
 * cannot be registered again until unarchived (or restored, or erased). An
 * admin is told whose record it is (and the error carries its id, for a
 * link); a member editing their own details reads the end-user sentence.
 */
export async function explainMemberConflict(
  db: TDatabaseOrTransaction,
  tenantId: bigint,
  values: { username?: string; email?: string | null; mobile?: string | null },
  error: unknown,
  audience: "admin" | "member" = "admin",
): Promise<unknown> {
  const conflict = asMemberConflict(error);
  const index = violatedUniqueIndex(error);
  const match = index ? FIELD_BY_INDEX[index] : undefined;
  if (!(conflict instanceof ConflictError) || !match) return conflict;
  const value = values[match.field as "username" | "email" | "mobile"];
  if (!value) return conflict;
  const holder = await db.user.findFirst({ where: { tenantId, [match.field]: value }, select: { id: true, state: true, fullName: true } });
  if (holder?.state === "archived") {
    if (audience === "member") return new ConflictError(ARCHIVED_MEMBER_CONFLICT, { [match.field]: [ARCHIVED_MEMBER_CONFLICT] });
    const message = archivedHolderMessage(match.field, holder);
    return new ArchivedHolderConflictError(message, { [match.field]: [message] }, holder.id.toString());
  }
  if (holder?.state === "deleted") {
    const message = "A deleted member in the recycle bin still holds this; restore or permanently delete them first";
    return new ConflictError(message, { [match.field]: [message] });
  }
  return conflict;
}
