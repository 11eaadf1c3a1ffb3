"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Field, FormAlert } from "@/components/form/field";
import { SubmitButton } from "@/components/form/submit-button";
import { MFA_SIGN_IN_ERROR, ZMfaSignIn } from "@/server/auth/mfa/schemas";
import { parseSignInError } from "@/server/auth/schemas";

type TInput = z.input<typeof ZMfaSignIn>;
type TOutput = z.output<typeof ZMfaSignIn>;

/**
 * The sign-in's second step for a member with MFA: the code from the app, or
 * a recovery code. A challenge that ended (5 minutes, or its tries used) sends
 * the member back to the password; other refusals are worded by the form.
 */
export function SignInCodeStep({
  challenge,
  onSignedIn,
  onRestart,
  describeError,
}: {
  challenge: string;
  onSignedIn: () => void;
  onRestart: (message: string) => void;
  describeError: (error: string | null | undefined) => string;
}) {
  const form = useForm<TInput, unknown, TOutput>({ resolver: zodResolver(ZMfaSignIn), defaultValues: { challenge, code: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = async (values: TOutput) => {
    const result = await signIn("mfa", { redirect: false, ...values }).catch(() => undefined);
    if (result?.ok && !result.error) return onSignedIn();
    form.setValue("code", "");
    const { code, detail } = parseSignInError(result?.error);
    if (code === MFA_SIGN_IN_ERROR.challengeEnded) return onRestart("This sign-in took too long or had too many wrong codes. Enter your password again.");
    if (code === MFA_SIGN_IN_ERROR.wrongCode) {
      const left = Number(detail) || 1;
      return form.setError("code", { type: "server", message: `That code is not right. ${left} ${left === 1 ? "try" : "tries"} left.` });
    }
    form.setError("root", { message: describeError(result?.error) });
  };

  return (
    <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="space-y-4" aria-label="Two-step verification">
      <FormAlert tone="info">Your password is right. Now enter the 6-digit code from your authenticator app.</FormAlert>
      {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
      <Field
        label="Code from your authenticator app"
        autoComplete="one-time-code"
        autoFocus
        hint="Lost your phone? Enter one of your recovery codes instead."
        error={errors.code?.message}
        {...form.register("code")}
      />
      <SubmitButton pending={isSubmitting}>Verify</SubmitButton>
      <button type="button" className="w-full text-sm text-brand-700 hover:underline" onClick={() => onRestart("")}>
        Start again
      </button>
    </form>
  );
}
