"use server";

import { headers } from "next/headers";
import { ZodError, z } from "zod";
import type { TActionResult } from "@/components/me/action-result";
import { clientInfoFromHeaders } from "@/server/http/client-headers";
import { confirmOwnMfaEnrolment, startOwnMfaEnrolment } from "@/server/auth/restricted-session-services";
import { stepUpOwnSession } from "@/server/sign-in/restricted-step-up";
import { requireMfaEnrolmentSession } from "@/server/auth/mfa/enrolment-session";
import type { TConfirmMfaInput, TStepUpInput } from "@/server/auth/mfa/schemas";
import { StepUpRequiredError } from "@/server/auth/step-up";
import { DomainError } from "@/server/errors";
import { logUnexpectedError, unexpectedErrorMessage } from "@/server/unexpected-error";

// The enrolment an organisation's policy forces right after sign-in. Server
// actions rather than tRPC procedures: the session may do nothing else, so the
// API refuses it everywhere (server/auth/sessions.ts#checkSession) and only
// this page's own check lets it through.

async function actor() {
  const session = await requireMfaEnrolmentSession();
  const client = clientInfoFromHeaders(Object.fromEntries((await headers()).entries()));
  return { tenantId: session.tenant.id, memberId: session.member.id, sessionId: session.sessionId, ...client };
}

async function resultOf<T>(run: () => Promise<T>): Promise<TActionResult<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (error instanceof ZodError) return { ok: false, message: "Check the highlighted fields", fieldErrors: z.flattenError(error).fieldErrors, stepUpRequired: false };
    if (error instanceof DomainError) {
      return { ok: false, message: error.message, fieldErrors: error.fieldErrors, stepUpRequired: error instanceof StepUpRequiredError };
    }
    return { ok: false, message: unexpectedErrorMessage(logUnexpectedError(error, "MFA enrolment action")), fieldErrors: {}, stepUpRequired: false };
  }
}

export async function startForcedEnrolment() {
  const who = await actor();
  return resultOf(() => startOwnMfaEnrolment(who));
}

export async function confirmForcedEnrolment(values: TConfirmMfaInput) {
  const who = await actor();
  return resultOf(() => confirmOwnMfaEnrolment(who, values));
}

export async function stepUpForEnrolment(values: TStepUpInput) {
  const who = await actor();
  const result = await resultOf(() => stepUpOwnSession(who, values));
  return result.ok ? { ok: true as const } : { ok: false as const, message: result.message, fieldErrors: result.fieldErrors as Record<string, string[]> };
}
