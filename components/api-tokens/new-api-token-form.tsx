"use client";

import { useId, useState } from "react";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { Field, FormAlert } from "@/components/form/field";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { SelectField } from "@/components/form/select-field";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { useHydrated } from "@/components/form/use-hydrated";
import { useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { ShownOnceToken } from "@/components/api-tokens/shown-once-token";
import { API_TOKEN_SCOPE_LABELS, API_TOKEN_SCOPES, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, ZApiTokenCreate, type TApiTokenCreate } from "@/server/api-tokens/api-token-schemas";

const EXPIRY_CHOICES = [
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: String(DEFAULT_TOKEN_DAYS), label: "In one year (recommended)" },
  { value: String(MAX_TOKEN_DAYS), label: "In two years (the longest)" },
];

/** Owners: name a token, choose its scopes and expiry; after a step-up it is shown once. */
export function NewApiTokenForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const hydrated = useHydrated();
  const { requireStepUp, stepUpDialog } = useStepUp();
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const create = useMutation(trpc.apiTokens.create.mutationOptions());
  const form = useForm<TApiTokenCreate>({ resolver: zodResolver(ZApiTokenCreate), defaultValues: { name: "", scopes: ["scim"], expiresInDays: DEFAULT_TOKEN_DAYS } });
  const errors = form.formState.errors;

  const submit = (values: TApiTokenCreate) => {
    create.mutate(values, {
      onSuccess: (result) => {
        setCreated({ name: values.name, token: result.token });
        form.reset({ name: "", scopes: ["scim"], expiresInDays: DEFAULT_TOKEN_DAYS });
        void queryClient.invalidateQueries(trpc.apiTokens.pathFilter());
      },
      onError: (error) => {
        if (requireStepUp(error, () => submit(values))) return;
        if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: error.message });
      },
    });
  };

  return (
    <section aria-labelledby={`${id}-title`} className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id={`${id}-title`} className="font-medium">
        Create a token
      </h2>
      <form noValidate aria-labelledby={`${id}-title`} className="mt-3 space-y-4" onSubmit={form.handleSubmit(submit)}>
        <Field label="Name" hint="What uses it, such as Workday or Microsoft Entra ID" error={errors.name?.message} id={`${id}-name`} autoComplete="off" {...form.register("name")} />
        <fieldset className="space-y-2" aria-describedby={errors.scopes ? `${id}-scopes-error` : undefined}>
          <legend className="text-sm font-medium text-slate-700">Scopes</legend>
          {API_TOKEN_SCOPES.map((scope) => (
            <label key={scope} className="flex items-start gap-2 text-sm text-slate-700">
              <input type="checkbox" value={scope} className="mt-0.5" {...form.register("scopes")} />
              <span>
                <code className="font-mono">{scope}</code> — {API_TOKEN_SCOPE_LABELS[scope]}
              </span>
            </label>
          ))}
          {errors.scopes ? (
            <p id={`${id}-scopes-error`} role="alert" className="text-sm text-red-600">
              {errors.scopes.message ?? errors.scopes.root?.message}
            </p>
          ) : null}
        </fieldset>
        <SelectField label="Expires" options={EXPIRY_CHOICES} id={`${id}-expiry`} error={errors.expiresInDays?.message} {...form.register("expiresInDays", { valueAsNumber: true })} />
        {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
        <button type="submit" className={PRIMARY_BUTTON} disabled={!hydrated || create.isPending}>
          {create.isPending ? "Creating…" : "Create token"}
        </button>
      </form>
      {created ? <ShownOnceToken name={created.name} token={created.token} onClose={() => setCreated(null)} /> : null}
      {stepUpDialog}
    </section>
  );
}
