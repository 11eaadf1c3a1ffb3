// Domain errors: services throw these; the tRPC layer maps them to codes
// (server/trpc/init.ts). Services never throw TRPCError themselves.

export type TFieldErrors = Record<string, string[]>;

export abstract class DomainError extends Error {
  abstract readonly kind: "not_found" | "conflict" | "forbidden" | "unauthorized" | "invalid_transition" | "validation";
  constructor(
    message: string,
    readonly fieldErrors: TFieldErrors = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly kind = "not_found";
}

/** A uniqueness or state conflict; `fieldErrors` points the form at the field. */
export class ConflictError extends DomainError {
  readonly kind = "conflict";
}

/** A username, email or mobile an archived member holds: the admin's form links to that record (unarchive it to reuse the value). */
export class ArchivedHolderConflictError extends ConflictError {
  constructor(
    message: string,
    fieldErrors: TFieldErrors,
    readonly archivedMemberId: string,
  ) {
    super(message, fieldErrors);
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = "forbidden";
}

export class UnauthorizedError extends DomainError {
  readonly kind = "unauthorized";
}

export class InvalidTransitionError extends DomainError {
  readonly kind = "invalid_transition";
}

export class ValidationError extends DomainError {
  readonly kind = "validation";
}

/**
 * The name of the unique index a Postgres unique violation hit (Prisma P2002
 * from a model query, P2010 from a raw one, through the pg adapter), or null
 * when the error is something else.
 */
export function violatedUniqueIndex(error: unknown): string | null {
  if (typeof error !== "object" || error === null) return null;
  const candidate = error as {
    code?: string;
    meta?: { target?: unknown; driverAdapterError?: { cause?: { kind?: string; constraint?: { index?: string } } } };
  };
  const cause = candidate.meta?.driverAdapterError?.cause;
  if (candidate.code === "P2010" && cause?.kind === "UniqueConstraintViolation") return cause.constraint?.index ?? "";
  if (candidate.code !== "P2002") return null;
  const index = candidate.meta?.driverAdapterError?.cause?.constraint?.index;
  if (typeof index === "string") return index;
  return typeof candidate.meta?.target === "string" ? candidate.meta.target : "";
}

export const ARCHIVED_READ_ONLY = "An archived member is read-only: unarchive them first";

/**
 * A lifecycle rule the database itself enforced (triggers of the lifecycle
 * migration), as the domain error a service would have thrown, or null.
 */
export function databaseRuleViolation(error: unknown): DomainError | null {
  const message = error instanceof Error ? error.message : "";
  if (message.includes("tenure:member_archived")) return new InvalidTransitionError(ARCHIVED_READ_ONLY);
  if (message.includes("tenure:member_deleted")) return new InvalidTransitionError("A deleted member must be restored from the recycle bin first");
  if (message.includes("tenure:member_not_authorisable")) return new InvalidTransitionError("A disabled or resigned member cannot be given apps or policies: enable them first");
  return null;
}
