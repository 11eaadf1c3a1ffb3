import { ConflictError } from "@/server/errors";

const MAIN_DEPARTMENT_KEY = "users_main_department_fkey";
export const NOT_ONE_OF_THEIRS = "The main department must be one of the member's departments";

/**
 * The composite foreign key users(main_department_id, id) → department_members
 * refused a main department the member is not in: a field error on the
 * department. Prisma reports it as P2003 (model query) or P2010 (raw query).
 */
export function asMainDepartmentConflict(error: unknown): unknown {
  if (typeof error !== "object" || error === null) return error;
  const { code, meta } = error as { code?: string; meta?: { driverAdapterError?: { cause?: { kind?: string; constraint?: { index?: string } } } } };
  const cause = meta?.driverAdapterError?.cause;
  if ((code !== "P2003" && code !== "P2010") || cause?.kind !== "ForeignKeyConstraintViolation") return error;
  if (cause.constraint?.index !== MAIN_DEPARTMENT_KEY) return error;
  return new ConflictError(NOT_ONE_OF_THEIRS, { departmentId: [NOT_ONE_OF_THEIRS] });
}
