"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import type { z } from "zod";
import { Field, FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { FormActions } from "@/components/form/form-actions";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { splitDaysList } from "@/components/lifecycle/days-list";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { ZLifecycleSettingsInput } from "@/server/lifecycle/schemas";
import type { TLifecycleSettings } from "@/server/lifecycle/lifecycle-settings";

type TInput = z.input<typeof ZLifecycleSettingsInput>;
type TOutput = z.output<typeof ZLifecycleSettingsInput>;

const resolver = zodResolver(ZLifecycleSettingsInput, {
  // Only where the schema has no message of its own: a list entry that is not a number.
  error: (issue) => (issue.code === "invalid_type" && issue.expected === "number" ? "Whole days, separated by commas" : undefined),
});

/** The first message among a field's errors, or an array field's items' errors. */
function firstMessage(error: unknown): string | undefined {
  if (!error || typeof error !== "object") return undefined;
  if ("message" in error && typeof error.message === "string" && error.message) return error.message;
  for (const item of Object.values(error)) {
    const message = firstMessage(item);
    if (message) return message;
  }
  return undefined;
}

/** A list of whole days typed as "14, 7, 1": the text stays as typed while the form holds the list. */
function DaysListField({ value, onChange, onBlur, error }: { value: unknown[]; onChange: (days: string[]) => void; onBlur: () => void; error?: string }) {
  const [text, setText] = useState(() => value.join(", "));
  return (
    <Field
      id="password-reminder-days"
      label="Password expiry reminders (days before)"
      inputMode="numeric"
      autoComplete="off"
      hint="Up to 5, separated by commas, e.g. 14, 7, 1. Empty: no reminders."
      error={error}
      value={text}
      onBlur={onBlur}
      onChange={(event) => {
        setText(event.target.value);
        onChange(splitDaysList(event.target.value));
      }}
    />
  );
}

/** Settings → Lifecycle: the recycle bin's grace period and when members are reminded that their password expires. */
export function LifecycleSettingsForm({ initial }: { initial: TLifecycleSettings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  // Bumped after a save, so the reminder list shows the saved (sorted, deduplicated) days.
  const [version, setVersion] = useState(0);
  const form = useForm<TInput, unknown, TOutput>({ resolver, defaultValues: initial, mode: "onTouched" });
  const update = useMutation(
    trpc.lifecycle.updateSettings.mutationOptions({
      onSuccess: async (settings) => {
        form.reset(settings);
        setVersion((current) => current + 1);
        setSaved(true);
        await queryClient.invalidateQueries(trpc.lifecycle.settings.pathFilter());
      },
      onError: (error) => {
        if (isStepUpRequired(error)) return;
        if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: error.message });
      },
    }),
  );
  // A shorter grace period asks "Confirm it's you" first (server/auth/sensitive-operations.ts), then saves again.
  const { requireStepUp, stepUpDialog } = useStepUp();
  const save = (values: TOutput) => update.mutate(values, { onError: (error) => void requireStepUp(error, () => save(values)) });
  const { errors } = form.formState;
  return (
    <form
      noValidate
      aria-label="Lifecycle settings"
      className="max-w-xl space-y-4 rounded-lg border border-slate-200 bg-white p-5"
      onSubmit={form.handleSubmit((values) => {
        setSaved(false);
        save(values);
      })}
    >
      {errors.root?.message ? <FormAlert>Not saved: {errors.root.message}</FormAlert> : null}
      <SuccessStatus message={saved && !form.formState.isDirty ? "Saved." : null} />
      <Field
        id="deletion-grace-days"
        label="Recycle bin grace period (days)"
        type="number"
        inputMode="numeric"
        min={1}
        max={365}
        hint="How long a deleted member can be restored before they are erased permanently (1 to 365). Applies to members deleted from now on."
        error={errors.deletionGraceDays?.message}
        {...form.register("deletionGraceDays")}
      />
      <Controller
        key={version}
        control={form.control}
        name="passwordReminderDays"
        render={({ field, fieldState }) => (
          <DaysListField value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={firstMessage(fieldState.error)} />
        )}
      />
      <FormActions label="Save" pendingLabel="Saving…" pending={update.isPending} />
      {stepUpDialog}
    </form>
  );
}
