"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useId } from "react";
import { Controller, useForm } from "react-hook-form";
import type { z } from "zod";
import { Field, FormAlert } from "@/components/form/field";
import { FormActions } from "@/components/form/form-actions";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { EVENT_TYPE_OPTIONS } from "@/components/webhooks/webhook-labels";
import { ZWebhookEndpointInput } from "@/server/webhooks/schemas";

type TValues = z.input<typeof ZWebhookEndpointInput>;
type TOutput = z.output<typeof ZWebhookEndpointInput>;

export const NEW_ENDPOINT: TValues = { url: "", description: "", eventTypes: [] };

/** Add or change one endpoint (owners only; the server checks, and asks for a step-up). A new one's secret comes back once. */
export function WebhookEndpointForm({
  endpointId,
  initial,
  onSaved,
  onCancel,
}: {
  endpointId: string | null;
  initial: TValues;
  onSaved: (saved: { id: string; secret: string | null }) => void;
  onCancel?: () => void;
}) {
  const trpc = useTRPC();
  const id = useId();
  const { requireStepUp, stepUpDialog } = useStepUp();
  const form = useForm<TValues, unknown, TOutput>({ resolver: zodResolver(ZWebhookEndpointInput), defaultValues: initial });
  const create = useMutation(trpc.webhooks.create.mutationOptions());
  const update = useMutation(trpc.webhooks.update.mutationOptions());
  const onError = (error: unknown, retry: () => void) => {
    if (requireStepUp(error, retry)) return;
    if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: (error as Error).message });
  };
  const save = (values: TOutput) => {
    if (endpointId) {
      update.mutate({ endpointId, ...values }, { onSuccess: () => onSaved({ id: endpointId, secret: null }), onError: (error) => onError(error, () => save(values)) });
    } else {
      create.mutate(values, { onSuccess: (created) => onSaved(created), onError: (error) => onError(error, () => save(values)) });
    }
  };
  const errors = form.formState.errors;
  const pending = create.isPending || update.isPending;

  return (
    <form noValidate aria-label={endpointId ? "Change the webhook endpoint" : "New webhook endpoint"} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" onSubmit={form.handleSubmit(save)}>
      <Field
        id={`${id}-url`}
        label="Endpoint URL"
        type="url"
        inputMode="url"
        autoComplete="off"
        placeholder="https://example.com/webhooks/tenure"
        hint="https:// (plain http:// only to this machine), no user name or password in it."
        error={errors.url?.message}
        {...form.register("url")}
      />
      <Field id={`${id}-description`} label="Description (optional)" hint="What receives the events, for the people who read this list." error={errors.description?.message} {...form.register("description")} />
      <Controller
        control={form.control}
        name="eventTypes"
        render={({ field }) => (
          <fieldset className="space-y-2" aria-describedby={errors.eventTypes ? `${id}-types-error` : undefined}>
            <legend className="text-sm font-medium text-slate-700">Events to send</legend>
            <div className="flex gap-3 text-sm">
              <button type="button" className="text-brand-700 underline" onClick={() => field.onChange(EVENT_TYPE_OPTIONS.map((option) => option.type))}>
                Choose all
              </button>
              <button type="button" className="text-brand-700 underline" onClick={() => field.onChange([])}>
                Choose none
              </button>
            </div>
            <ul className="grid gap-1 sm:grid-cols-2">
              {EVENT_TYPE_OPTIONS.map((option) => (
                <li key={option.type}>
                  <label className="flex items-start gap-2 text-sm">
                    <input
                      type="checkbox"
                      className="mt-0.5 size-4 accent-brand-600"
                      checked={field.value.includes(option.type)}
                      onChange={(event) => field.onChange(event.target.checked ? [...field.value, option.type] : field.value.filter((type) => type !== option.type))}
                    />
                    <span>
                      <span className="font-mono">{option.type}</span>
                      <span className="block text-xs text-slate-600">{option.description}</span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
            {errors.eventTypes?.message ? (
              <p id={`${id}-types-error`} role="alert" className="text-sm text-red-600">
                {errors.eventTypes.message}
              </p>
            ) : null}
          </fieldset>
        )}
      />
      {errors.root?.message && !isStepUpRequired(create.error ?? update.error) ? <FormAlert>{errors.root.message}</FormAlert> : null}
      <FormActions label={endpointId ? "Save the endpoint" : "Add the endpoint"} pendingLabel="Saving…" pending={pending} onCancel={onCancel} />
      {stepUpDialog}
    </form>
  );
}
