"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Field, FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { SubmitButton } from "@/components/form/submit-button";
import { useTRPC } from "@/components/trpc/client";
import { ZForgotPassword } from "@/server/auth/forgot-password-schemas";

type TInput = z.input<typeof ZForgotPassword>;
type TOutput = z.output<typeof ZForgotPassword>;

/** Asks for a reset link; the answer is the same whether or not the account exists. */
export function ForgotPasswordForm({ defaults }: { defaults: Partial<TInput> }) {
  const trpc = useTRPC();
  const form = useForm<TInput, unknown, TOutput>({ resolver: zodResolver(ZForgotPassword), defaultValues: { organisation: "", login: "", ...defaults } });
  const request = useMutation(
    trpc.auth.passwordReset.request.mutationOptions({
      onError: (error) => {
        if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: error.message });
      },
    }),
  );
  const { errors } = form.formState;

  if (request.isSuccess) {
    return (
      <div className="space-y-4">
        <SuccessStatus message={request.data.message} />
        <p className="text-sm text-slate-600">The link works once, for 30 minutes. No mail after a few minutes? Check the organisation and username, or ask your administrator.</p>
        <Link href="/sign-in" className="text-sm font-medium text-brand-700 underline">
          Back to sign-in
        </Link>
      </div>
    );
  }
  return (
    <form noValidate onSubmit={form.handleSubmit((values) => request.mutate(values))} className="space-y-4">
      {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
      <Field label="Organisation" autoCapitalize="none" error={errors.organisation?.message} {...form.register("organisation")} />
      <Field label="Username or email" autoComplete="username" autoCapitalize="none" error={errors.login?.message} {...form.register("login")} />
      <SubmitButton pending={request.isPending}>Send me a link</SubmitButton>
      <p className="text-center text-sm">
        <Link href="/sign-in" className="text-brand-700 hover:underline">
          Back to sign-in
        </Link>
      </p>
    </form>
  );
}
