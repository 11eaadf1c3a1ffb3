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
