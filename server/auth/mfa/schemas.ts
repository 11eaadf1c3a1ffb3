import { z } from "zod";
import { zLine, zSecret } from "@/server/validation/text";

// Inputs of MFA enrolment, the sign-in code step and step-up, shared by forms
// and procedures. Pure: safe for client components.

const ZCode = zLine().min(1, "Enter the code").max(40, "Too long for a code");

/** The first code from the authenticator app, confirming the enrolment. */
export const ZConfirmMfa = z.strictObject({ code: ZCode });
export type TConfirmMfaInput = z.input<typeof ZConfirmMfa>;

/** The sign-in form's second step: the challenge from the password step, and a code or a recovery code. */
export const ZMfaSignIn = z.object({
  challenge: zSecret().min(1).max(200),
  code: zLine().min(1, "Enter the code from your authenticator app, or a recovery code").max(40, "Too long for a code"),
});
export type TMfaSignInInput = z.input<typeof ZMfaSignIn>;

export const STEP_UP_METHODS = ["password", "code"] as const;

/** "Confirm it's you": the password, or a code from the authenticator app (or a recovery code). */
export const ZStepUp = z.strictObject({
  method: z.enum(STEP_UP_METHODS),
  secret: zSecret().min(1, "Enter your password or a code").max(1024, "Too long"),
});
export type TStepUpInput = z.input<typeof ZStepUp>;

/**
 * What the sign-in's code step reports to the form (through next-auth, as
 * the password step's SIGN_IN_ERROR codes do), some with a detail after a
 * colon: "mfa_required:<challenge token>", "mfa_wrong_code:<tries left>".
 */
export const MFA_SIGN_IN_ERROR = {
  codeRequired: "mfa_required",
  wrongCode: "mfa_wrong_code",
  challengeEnded: "mfa_challenge_ended",
} as const;
