"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Field, FormAlert } from "@/components/form/field";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { SuccessStatus } from "@/components/form/success-status";
import { useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { DEFAULT_ATTRIBUTE_MAPPING, SCIM_RATE_LIMIT, ZScimSettingsInput, type TAttributeMapping } from "@/server/provisioning/schemas";
import { useState } from "react";

type TInput = z.input<typeof ZScimSettingsInput>;
type TValues = z.output<typeof ZScimSettingsInput>;

const MAPPED: { key: Exclude<keyof TAttributeMapping, "userName">; label: string }[] = [
  { key: "name", label: "Name (given, family, formatted)" },
  { key: "emails", label: "Email" },
  { key: "phoneNumbers", label: "Phone numbers (mobile, landline)" },
  { key: "title", label: "Title" },
  { key: "department", label: "Department (enterprise extension: the main department)" },
  { key: "manager", label: "Manager (enterprise extension: the main department's head)" },
];

/** Base URL, bearer token (write-only: never shown again after saving), what revoking does, and what is sent. */
export function ScimSettingsForm({ applicationId, initial, configured }: { applicationId: string; initial: Omit<TInput, "applicationId" | "token"> | null; configured: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { requireStepUp, stepUpDialog } = useStepUp();
  const [notice, setNotice] = useState<string | null>(null);
  const form = useForm<TInput, unknown, TValues>({
    resolver: zodResolver(ZScimSettingsInput),
    defaultValues: { applicationId, baseUrl: "", token: "", deprovisionMode: "deactivate", pushGroups: false, rateLimitPerSecond: SCIM_RATE_LIMIT.default, attributeMapping: DEFAULT_ATTRIBUTE_MAPPING, ...initial },
  });
  const save = useMutation(trpc.provisioning.save.mutationOptions());
  const submit = (values: TValues) =>
    save.mutate(values, {
      onSuccess: () => {
        form.setValue("token", "");
        setNotice("Saved. The token is stored encrypted and will not be shown again.");
        void queryClient.invalidateQueries();
      },
      onError: (error) => {
        if (requireStepUp(error, () => submit(values))) return;
        if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: error.message });
      },
    });
  const errors = form.formState.errors;
  return (
    <form onSubmit={form.handleSubmit(submit)} className="space-y-3" aria-label="SCIM settings" noValidate>
      <Field label="SCIM base URL" placeholder="https://app.example.com/scim/v2" hint="https://, or http:// only to this machine" error={errors.baseUrl?.message} {...form.register("baseUrl")} />
      <Field
        label="Bearer token"
        type="password"
        autoComplete="off"
        hint={configured ? "Leave empty to keep the saved token" : "The token the application gave for provisioning"}
        error={errors.token?.message}
        {...form.register("token")}
      />
      <Field
        label="Requests per second at most"
        type="number"
        inputMode="numeric"
        min={SCIM_RATE_LIMIT.min}
        max={SCIM_RATE_LIMIT.max}
        hint={`What the application allows: a burst of as many, then that steady pace (default ${SCIM_RATE_LIMIT.default}). A 429 from it is honoured too.`}
        error={errors.rateLimitPerSecond?.message}
        {...form.register("rateLimitPerSecond", { valueAsNumber: true })}
      />
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-700">When access ends</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" value="deactivate" {...form.register("deprovisionMode")} /> Deactivate the account (active: false)
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" value="delete" {...form.register("deprovisionMode")} /> Delete the account
        </label>
      </fieldset>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-700">Attributes sent (externalId = the member id, and active, always)</legend>
        <label className="flex items-center gap-2 text-sm">
          userName from
          <select className="rounded-md border border-slate-300 px-2 py-1" {...form.register("attributeMapping.userName")}>
            <option value="username">Username</option>
            <option value="email">Email</option>
          </select>
        </label>
        {MAPPED.map((item) => (
          <label key={item.key} className="flex items-center gap-2 text-sm">
            <input type="checkbox" {...form.register(`attributeMapping.${item.key}`)} /> {item.label}
          </label>
        ))}
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" {...form.register("pushGroups")} /> Push groups too
        </label>
      </fieldset>
      {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
      <SuccessStatus message={notice} />
      <button type="submit" className={PRIMARY_BUTTON} disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save"}
      </button>
      {stepUpDialog}
    </form>
  );
}
