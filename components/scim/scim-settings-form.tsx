"use client";

import { useId, useState } from "react";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { FormAlert } from "@/components/form/field";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { SelectField } from "@/components/form/select-field";
import { SuccessStatus } from "@/components/form/success-status";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { useHydrated } from "@/components/form/use-hydrated";
import { useTRPC } from "@/components/trpc/client";
import { SCIM_DELETE_ACTION_LABELS, SCIM_DELETE_ACTIONS, ZScimSettingsInput, type TScimSettings } from "@/server/scim/scim-schemas";

const DELETE_CHOICES = SCIM_DELETE_ACTIONS.map((action) => ({ value: action, label: SCIM_DELETE_ACTION_LABELS[action] }));

/** What DELETE /Users/{id} does, and whether SCIM may create departments. */
export function ScimSettingsForm({ initial }: { initial: TScimSettings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const hydrated = useHydrated();
  const [saved, setSaved] = useState<string | null>(null);
  const update = useMutation(trpc.scim.updateSettings.mutationOptions());
  const form = useForm<TScimSettings>({ resolver: zodResolver(ZScimSettingsInput), defaultValues: initial });

  const submit = (values: TScimSettings) => {
    setSaved(null);
    update.mutate(values, {
      onSuccess: (result) => {
        form.reset(result);
        setSaved("Provisioning settings saved.");
        void queryClient.invalidateQueries(trpc.scim.pathFilter());
      },
      onError: (error) => {
        if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: error.message });
      },
    });
  };

  return (
    <section aria-labelledby={`${id}-title`} className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id={`${id}-title`} className="font-medium">
        Settings
      </h2>
      <form noValidate aria-labelledby={`${id}-title`} className="mt-3 space-y-4" onSubmit={form.handleSubmit(submit)}>
        <SelectField
          label="When the provisioning client deletes a user"
          hint="Every choice is a lifecycle action with a receipt. Disabling can be undone by the client (active: true)."
          options={DELETE_CHOICES}
          id={`${id}-delete`}
          error={form.formState.errors.deleteAction?.message}
          {...form.register("deleteAction")}
        />
        <label className="flex items-start gap-2 text-sm text-slate-700">
          <input type="checkbox" className="mt-0.5" {...form.register("createDepartments")} />
          <span>Create a department the client names that Tenure does not have (otherwise the request is refused, naming the department)</span>
        </label>
        {form.formState.errors.root?.message ? <FormAlert>{form.formState.errors.root.message}</FormAlert> : null}
        <SuccessStatus message={saved} />
        <button type="submit" className={PRIMARY_BUTTON} disabled={!hydrated || update.isPending}>
          {update.isPending ? "Saving…" : "Save settings"}
        </button>
      </form>
    </section>
  );
}
