import { ConflictError, violatedUniqueIndex } from "@/server/errors";

/** A sibling with the same name becomes a field error on the name. */
export function asDepartmentConflict(error: unknown): unknown {
  if (violatedUniqueIndex(error) !== "departments_sibling_name_key") return error;
  const message = "A department with this name already exists here";
  return new ConflictError(message, { name: [message] });
}
