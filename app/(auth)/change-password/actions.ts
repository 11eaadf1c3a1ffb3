"use server";

import { headers } from "next/headers";
import { ZodError, z } from "zod";
import { clientInfoFromHeaders } from "@/server/http/client-headers";
import { changeOwnPassword as changePasswordOf } from "@/server/auth/restricted-session-services";
import { requirePasswordChangeSession } from "@/server/auth/current-session";
import type { TChangePasswordInput } from "@/server/auth/schemas";
import { DomainError, type TFieldErrors } from "@/server/errors";
import { logUnexpectedError, unexpectedErrorMessage } from "@/server/unexpected-error";

export type TChangePasswordResult = { ok: true } | { ok: false; message: string; fieldErrors: TFieldErrors };

/**
 * The forced password change. A server action rather than a tRPC procedure:
 * the session it acts for may do nothing else, so the API refuses it
 * everywhere (server/auth/sessions.ts#checkSession) and only this page's own
 * check lets it through.
 */
export async function changeOwnPassword(values: TChangePasswordInput): Promise<TChangePasswordResult> {
  const session = await requirePasswordChangeSession();
  const client = clientInfoFromHeaders(Object.fromEntries((await headers()).entries()));
  try {
    await changePasswordOf({ tenantId: session.tenant.id, memberId: session.member.id, sessionId: session.sessionId, ...client }, values);
    return { ok: true };
  } catch (error) {
    if (error instanceof ZodError) return { ok: false, message: "Check the highlighted fields", fieldErrors: z.flattenError(error).fieldErrors };
    if (error instanceof DomainError) return { ok: false, message: error.message, fieldErrors: error.fieldErrors };
    return { ok: false, message: unexpectedErrorMessage(logUnexpectedError(error, "change-password action")), fieldErrors: {} };
  }
}
