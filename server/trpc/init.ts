import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { TContext } from "@/server/trpc/context";
import { ArchivedHolderConflictError, databaseRuleViolation, DomainError, type TFieldErrors } from "@/server/errors";
import { isTenantAdmin } from "@/server/shared/roles";
import { signedOutMessage } from "@/server/auth/sign-in-notices";
import { StepUpRequiredError } from "@/server/auth/step-up";
import { logUnexpectedError, unexpectedErrorMessage } from "@/server/unexpected-error";

const CODE_BY_KIND = {
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  forbidden: "FORBIDDEN",
  unauthorized: "UNAUTHORIZED",
  invalid_transition: "PRECONDITION_FAILED",
  validation: "BAD_REQUEST",
} as const satisfies Record<DomainError["kind"], TRPCError["code"]>;

function fieldErrorsOf(cause: unknown): TFieldErrors | null {
  if (cause instanceof ZodError) return z.flattenError(cause).fieldErrors;
  if (cause instanceof DomainError && Object.keys(cause.fieldErrors).length > 0) return cause.fieldErrors;
  return null;
}

const t = initTRPC.context<TContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error, path }) {
    // An unplanned error (a database refusal, a bug) reaches the client as a generic sentence and an id; the log has the rest.
    if (error.code === "INTERNAL_SERVER_ERROR") {
      const errorId = logUnexpectedError(error.cause ?? error, `tRPC ${path ?? "?"}`);
      const data = { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, fieldErrors: null, stepUpRequired: false, archivedMemberId: null, errorId };
      return { code: shape.code, message: unexpectedErrorMessage(errorId), data };
    }
    // stepUpRequired: the form asks "Confirm it's you" and retries (components/step-up).
    return {
      ...shape,
      data: { ...shape.data, stack: undefined, fieldErrors: fieldErrorsOf(error.cause), stepUpRequired: error.cause instanceof StepUpRequiredError,
        archivedMemberId: error.cause instanceof ArchivedHolderConflictError ? error.cause.archivedMemberId : null,
        errorId: null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Turns domain errors thrown by services into tRPC codes, keeping field errors. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && !(result.error.cause instanceof DomainError)) {
    const violation = databaseRuleViolation(result.error.cause);
    if (violation) throw new TRPCError({ code: CODE_BY_KIND[violation.kind], message: violation.message, cause: violation });
  }
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: CODE_BY_KIND[cause.kind], message: cause.message, cause });
  }
  // A service that parses its own input (it is also called outside tRPC) refuses it like the procedure would.
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR" && result.error.cause instanceof ZodError) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Check the highlighted fields", cause: result.error.cause });
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapDomainErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: signedOutMessage(ctx.signedOutReason) });
  }
  const { session } = ctx;
  // Who acts, for services that write: tenant, member, role level, where from, and the session (step-up checks it).
  const actor = { tenantId: session.tenant.id, memberId: session.member.id, sysAdmin: session.member.sysAdmin, sessionId: session.sessionId, ...ctx.client };
  return next({ ctx: { ...ctx, session, actor } });
});

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!isTenantAdmin(ctx.session.member.sysAdmin)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only administrators of this organisation may do this" });
  }
  return next();
});
