import type { TDatabaseOrTransaction } from "@/server/db/client";
import { ConflictError, violatedUniqueIndex } from "@/server/errors";

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

export const ARCHIVED_MEMBER_CONFLICT = "The user has been archived, please contact the administrator to unarchive";

/**
 * As asMemberConflict, and when the username, email or mobile belongs to an
 * archived member (or one in the recycle bin) it says so: such a member
 * cannot be registered again until unarchived (or restored, or erased).
 */
export async function explainMemberConflict(
  db: TDatabaseOrTransaction,
  tenantId: bigint,
  values: { username?: string; email?: string | null; mobile?: string | null },
  error: unknown,
): Promise<unknown> {
  const conflict = asMemberConflict(error);
  const index = violatedUniqueIndex(error);
  const match = index ? FIELD_BY_INDEX[index] : undefined;
  if (!(conflict instanceof ConflictError) || !match) return conflict;
  const value = values[match.field as "username" | "email" | "mobile"];
  if (!value) return conflict;
  const holder = await db.user.findFirst({ where: { tenantId, [match.field]: value }, select: { state: true } });
  if (holder?.state === "archived") return new ConflictError(ARCHIVED_MEMBER_CONFLICT, { [match.field]: [ARCHIVED_MEMBER_CONFLICT] });
  if (holder?.state === "deleted") {
    const message = "A deleted member in the recycle bin still holds this; restore or permanently delete them first";
    return new ConflictError(message, { [match.field]: [message] });
  }
  return conflict;
}
