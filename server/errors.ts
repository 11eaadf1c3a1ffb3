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

/** What a database error says, whichever way it reached us (see databaseErrorOf). */
export type TDatabaseError = {
  /** PostgreSQL's SQLSTATE ("23505", "40P01", ...), when known. */
  sqlState: string | null;
  kind: "unique" | "foreign_key" | "not_null" | null;
  /** The constraint or index it names, when it names one. */
  constraint: string | null;
  message: string;
};

const KIND_BY_SQL_STATE: Record<string, TDatabaseError["kind"]> = { "23505": "unique", "23503": "foreign_key", "23502": "not_null" };
const KIND_BY_ADAPTER_KIND: Record<string, TDatabaseError["kind"]> = {
  UniqueConstraintViolation: "unique",
  ForeignKeyConstraintViolation: "foreign_key",
  NullConstraintViolation: "not_null",
};
const SQL_STATE = /^[0-9A-Z]{5}$/;
const PRISMA_CODE = /^P[1-9][0-9]{3}$/;

type TPrismaShape = {
  code?: unknown;
  message?: unknown;
  meta?: { target?: unknown; driverAdapterError?: { cause?: { kind?: string; originalCode?: string; originalMessage?: string; constraint?: { index?: string } } } };
};

/**
 * A database error as one shape, or null for anything else: Prisma's (P2002, P2003 from a model query, P2010 from a
 * raw one, carrying the pg adapter's cause) and the driver's own (a plain connection's, server/db/sql-transaction.ts,
 * or pg's DatabaseError), which carries the SQLSTATE and the constraint itself.
 */
export function databaseErrorOf(error: unknown): TDatabaseError | null {
  if (typeof error !== "object" || error === null) return null;
  const candidate = error as TPrismaShape & { constraint?: unknown };
  const message = typeof candidate.message === "string" ? candidate.message : "";
  // Prisma's codes (P1000-P6999) look like SQLSTATEs; PL/pgSQL's own are P0001-P0004.
  const prismaCode = typeof candidate.code === "string" && PRISMA_CODE.test(candidate.code);
  if (!prismaCode && typeof candidate.code === "string" && SQL_STATE.test(candidate.code)) {
    const constraint = typeof candidate.constraint === "string" ? candidate.constraint : null;
    return { sqlState: candidate.code, kind: KIND_BY_SQL_STATE[candidate.code] ?? null, constraint, message };
  }
  if (candidate.code !== "P2002" && candidate.code !== "P2003" && candidate.code !== "P2010") return null;
  const cause = candidate.meta?.driverAdapterError?.cause;
  const kind = candidate.code === "P2002" ? "unique" : cause?.kind ? (KIND_BY_ADAPTER_KIND[cause.kind] ?? null) : null;
  const target = typeof candidate.meta?.target === "string" ? candidate.meta.target : null;
  const constraint = cause?.constraint?.index ?? (candidate.code === "P2002" ? target : null);
  return { sqlState: cause?.originalCode ?? null, kind, constraint, message: cause?.originalMessage ?? message };
}

/** The name of the unique index a unique violation hit ("" when the error does not name it), or null when the error is something else. */
export function violatedUniqueIndex(error: unknown): string | null {
  const failure = databaseErrorOf(error);
  return failure?.kind === "unique" ? (failure.constraint ?? "") : null;
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
