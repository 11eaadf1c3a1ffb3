"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Field, FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { SubmitButton } from "@/components/form/submit-button";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { useTRPC } from "@/components/trpc/client";
import { ZAcceptInvitation } from "@/server/onboarding/schemas";
import { DateTime } from "@/components/date-time";

type TInput = z.input<typeof ZAcceptInvitation>;
type TOutput = z.output<typeof ZAcceptInvitation>;

/**
 * The invited member chooses their first password. Then: to the sign-in form
 * (filled in with their organisation and username), or, for a member whose
 * start date is still ahead, a note saying from when they can sign in.
 */
export function AcceptInvitationForm({ token, minLength }: { token: string; minLength: number }) {
  const router = useRouter();
  const trpc = useTRPC();
  const [opensAt, setOpensAt] = useState<Date | null>(null);
  const form = useForm<TInput, unknown, TOutput>({ resolver: zodResolver(ZAcceptInvitation), defaultValues: { token, newPassword: "", confirmation: "" } });
  const accept = useMutation(
    trpc.onboarding.acceptInvitation.mutationOptions({
      onSuccess: ({ organisation, username, startDate }) => {
        if (startDate) {
          setOpensAt(startDate);
          return;
        }
        router.push(`/sign-in?${new URLSearchParams({ organisation, login: username, reason: "invitation_accepted" }).toString()}`);
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

  if (opensAt) {
    return (
      <div className="space-y-4">
        <SuccessStatus message={<>Your password is set. Your account opens at <DateTime value={opensAt} />; sign in from then.</>} />
        <Link href="/sign-in" className="text-sm font-medium text-brand-700 underline">
          Go to sign-in
        </Link>
      </div>
    );
  }
  const done = accept.isSuccess;
  return (
    <form noValidate onSubmit={form.handleSubmit((values) => accept.mutate(values))} className="space-y-4">
      {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
      <SuccessStatus message={done ? "Your password is set. Taking you to sign in…" : null} />
      <Field
        label="New password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${minLength} characters; any characters, spaces too. A passphrase of several words works well. Not a common or leaked password, and not built from your name or email.`}
        error={errors.newPassword?.message}
        {...form.register("newPassword")}
      />
      <Field label="Repeat the password" type="password" autoComplete="new-password" error={errors.confirmation?.message} {...form.register("confirmation")} />
      <SubmitButton pending={accept.isPending || done}>Set password</SubmitButton>
    </form>
  );
}
