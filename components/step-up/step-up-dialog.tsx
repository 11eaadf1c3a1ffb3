"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useId } from "react";
import { createPortal } from "react-dom";
import { useForm, useWatch } from "react-hook-form";
import type { z } from "zod";
import { FormActions } from "@/components/form/form-actions";
import { Field, FormAlert } from "@/components/form/field";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { ModalDialog } from "@/components/lifecycle/modal-dialog";
import { useTRPC } from "@/components/trpc/client";
import { ZStepUp } from "@/server/auth/mfa/schemas";

type TInput = z.input<typeof ZStepUp>;
type TOutput = z.output<typeof ZStepUp>;

/** How the dialog proves it: the API (a live session), or a server action (a session confined to MFA enrolment). */
export type TStepUpConfirm = (values: TOutput) => Promise<{ ok: true } | { ok: false; message: string; fieldErrors?: Record<string, string[]> }>;

/**
 * "Confirm it's you": the password, or a code from the authenticator app (or
 * a recovery code). On success the session counts as stepped up for five
 * minutes and `onConfirmed` runs (the caller retries what was refused). Shown
 * in a portal: the form that asked may itself be inside a <form>.
 */
export function StepUpDialog({ onConfirmed, onClose, confirm: checkElsewhere }: { onConfirmed: () => void; onClose: () => void; confirm?: TStepUpConfirm }) {
  const trpc = useTRPC();
  const id = useId();
  const form = useForm<TInput, unknown, TOutput>({ resolver: zodResolver(ZStepUp), defaultValues: { method: "password", secret: "" } });
  const stepUp = useMutation(trpc.auth.stepUp.mutationOptions());
  const method = useWatch({ control: form.control, name: "method" });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = async (values: TOutput) => {
    if (checkElsewhere) {
      const result = await checkElsewhere(values).catch(() => ({ ok: false as const, message: "Could not check that right now. Try again in a moment." }));
      if (result.ok) return onConfirmed();
      form.setValue("secret", "");
      const fieldErrors = "fieldErrors" in result ? result.fieldErrors : undefined;
      if (fieldErrors?.secret?.[0]) form.setError("secret", { type: "server", message: fieldErrors.secret[0] });
      else form.setError("root", { message: result.message });
      return;
    }
    try {
      await stepUp.mutateAsync(values);
      onConfirmed();
    } catch (error) {
      form.setValue("secret", "");
      if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: (error as Error).message });
    }
  };

  return createPortal(
    <ModalDialog title="Confirm it's you" busy={isSubmitting} onClose={onClose}>
      <form
        noValidate
        className="space-y-4"
        aria-label="Confirm it's you"
        onSubmit={(event) => {
          // React carries events through portals to the React parent: keep this submit from reaching the form that asked.
          event.stopPropagation();
          void form.handleSubmit(onSubmit)(event);
        }}
      >
        <p className="text-sm text-slate-700">
          This change needs a fresh proof that it is you. Enter your password, or a code from your authenticator app. It then counts for five minutes.
        </p>
        <fieldset className="flex flex-wrap gap-4 text-sm">
          <legend className="sr-only">How to confirm</legend>
          <label className="flex items-center gap-2">
            <input type="radio" value="password" className="accent-brand-600" {...form.register("method", { onChange: () => form.setValue("secret", "") })} />
            Password
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" value="code" className="accent-brand-600" {...form.register("method", { onChange: () => form.setValue("secret", "") })} />
            Authentication code
          </label>
        </fieldset>
        {method === "password" ? (
          <Field id={`${id}-secret`} label="Your password" type="password" autoComplete="current-password" autoFocus data-autofocus error={errors.secret?.message} {...form.register("secret")} />
        ) : (
          <Field
            id={`${id}-secret`}
            label="Code from your authenticator app"
            autoComplete="one-time-code"
            inputMode="text"
            autoFocus
            hint="6 digits, or one of your recovery codes"
            error={errors.secret?.message}
            {...form.register("secret")}
          />
        )}
        {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
        <FormActions label="Confirm" pendingLabel="Checking…" pending={isSubmitting} onCancel={onClose} />
      </form>
    </ModalDialog>,
    document.body,
  );
}
