"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm, type Path } from "react-hook-form";
import type { z } from "zod";
import { Field, FormAlert } from "@/components/form/field";
import { continueAfterSignIn } from "@/components/navigation/continue-after-sign-in";
import { SuccessStatus } from "@/components/form/success-status";
import { SubmitButton } from "@/components/form/submit-button";
import { ZChangePassword, type TChangePasswordInput } from "@/server/auth/schemas";
import type { TFieldErrors } from "@/server/errors";

type TInput = z.input<typeof ZChangePassword>;
type TOutput = z.output<typeof ZChangePassword>;

export type TChangePasswordAction = (values: TChangePasswordInput) => Promise<{ ok: true } | { ok: false; message: string; fieldErrors: TFieldErrors }>;

/** The form of the change-password page; `changePassword` is the page's server action. */
export function ChangePasswordForm({
  changePassword,
  minLength,
  historyCount,
  callbackUrl,
}: {
  changePassword: TChangePasswordAction;
  minLength: number;
  historyCount: number;
  callbackUrl?: string;
}) {
  const router = useRouter();
  const [done, setDone] = useState(false);
  const form = useForm<TInput, unknown, TOutput>({
    resolver: zodResolver(ZChangePassword),
    defaultValues: { currentPassword: "", newPassword: "", confirmation: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = async (values: TOutput) => {
    const result = await changePassword(values).catch(() => null);
    if (result?.ok) {
      setDone(true);
      continueAfterSignIn(router, callbackUrl);
      return;
    }
    form.setValue("currentPassword", "");
    if (!result) {
      form.setError("root", { message: "The password could not be changed right now. Try again in a moment." });
      return;
    }
    let onField = false;
    for (const [field, messages] of Object.entries(result.fieldErrors)) {
      if (!messages?.[0]) continue;
      form.setError(field as Path<TInput>, { type: "server", message: messages.join(" ") });
      onField = true;
    }
    if (!onField) form.setError("root", { message: result.message });
  };

  const rules = `At least ${minLength} characters; any characters, spaces too. Not a common or leaked password, not built from your name or email${
    historyCount > 0 ? `, and not one of your last ${historyCount} passwords` : ""
  }.`;
  return (
    <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="space-y-4">
      {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
      <SuccessStatus message={done ? "Password changed. Taking you on…" : null} />
      <Field label="Current password" type="password" autoComplete="current-password" error={errors.currentPassword?.message} {...form.register("currentPassword")} />
      <Field label="New password" type="password" autoComplete="new-password" hint={rules} error={errors.newPassword?.message} {...form.register("newPassword")} />
      <Field label="Repeat the new password" type="password" autoComplete="new-password" error={errors.confirmation?.message} {...form.register("confirmation")} />
      <SubmitButton pending={isSubmitting || done}>Change password</SubmitButton>
    </form>
  );
}
