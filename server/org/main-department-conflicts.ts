import { ConflictError, databaseErrorOf } from "@/server/errors";

const MAIN_DEPARTMENT_KEY = "users_main_department_fkey";
export const NOT_ONE_OF_THEIRS = "The main department must be one of the member's departments";

/**
 * The composite foreign key users(main_department_id, id) → department_members
 * refused a main department the member is not in: a field error on the
 * department (whether Prisma or a plain connection reported it).
 */
export function asMainDepartmentConflict(error: unknown): unknown {
  const failure = databaseErrorOf(error);
  if (failure?.kind !== "foreign_key" || failure.constraint !== MAIN_DEPARTMENT_KEY) return error;
  return new ConflictError(NOT_ONE_OF_THEIRS, { departmentId: [NOT_ONE_OF_THEIRS] });
}
