"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Field, FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { SubmitButton } from "@/components/form/submit-button";
import { useTRPC } from "@/components/trpc/client";
import { ZResetPassword } from "@/server/auth/forgot-password-schemas";

type TInput = z.input<typeof ZResetPassword>;
type TOutput = z.output<typeof ZResetPassword>;

/** The reset link's page: a new password under the organisation's rules, then sign-in (every session has ended). */
export function ResetPasswordForm({ token, minLength, historyCount }: { token: string; minLength: number; historyCount: number }) {
  const router = useRouter();
  const trpc = useTRPC();
  const form = useForm<TInput, unknown, TOutput>({ resolver: zodResolver(ZResetPassword), defaultValues: { token, newPassword: "", confirmation: "" } });
  const reset = useMutation(
    trpc.auth.passwordReset.reset.mutationOptions({
      onSuccess: ({ organisation, username }) => {
        router.push(`/sign-in?${new URLSearchParams({ organisation, login: username, reason: "password_reset" }).toString()}`);
      },
      onError: (error) => {
        form.setValue("confirmation", "");
        // The token is no field of the form: a link that stopped working is said at the top.
        if (error.data?.fieldErrors?.token) form.setError("root", { message: error.data.fieldErrors.token[0] });
        else if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: error.message });
      },
    }),
  );
  const { errors } = form.formState;
  const done = reset.isSuccess;
  const rules = `At least ${minLength} characters; any characters, spaces too. Not a common or leaked password, not built from your name or email${
    historyCount > 0 ? `, and not one of your last ${historyCount} passwords` : ""
  }.`;
  return (
    <form noValidate onSubmit={form.handleSubmit((values) => reset.mutate(values))} className="space-y-4">
      {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
      <SuccessStatus message={done ? "Your password is changed. Taking you to sign in…" : null} />
      <Field label="New password" type="password" autoComplete="new-password" hint={rules} error={errors.newPassword?.message} {...form.register("newPassword")} />
      <Field label="Repeat the new password" type="password" autoComplete="new-password" error={errors.confirmation?.message} {...form.register("confirmation")} />
      <SubmitButton pending={reset.isPending || done}>Set the new password</SubmitButton>
    </form>
  );
}
