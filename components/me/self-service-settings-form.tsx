"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { FormActions } from "@/components/form/form-actions";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { SELF_EDITABLE_FIELD_LABELS, SELF_EDITABLE_FIELDS, type TSelfEditableField } from "@/server/self-service/schemas";

/** Console → Settings → Self-service: which of their own fields members edit at /me. */
export function SelfServiceSettingsForm({ initial }: { initial: readonly TSelfEditableField[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [chosen, setChosen] = useState<Set<TSelfEditableField>>(new Set(initial));
  const [saved, setSaved] = useState<string | null>(null);
  const { requireStepUp, stepUpDialog } = useStepUp();
  const save = useMutation(
    trpc.selfService.updateSettings.mutationOptions({
      onSuccess: () => {
        setSaved("Saved. Members see the change on their next visit to their profile.");
        router.refresh();
      },
      // A security setting: confirm it's you, then the same save again.
      onError: (error, values) => requireStepUp(error, () => save.mutate(values)),
    }),
  );
  return (
    <form
      noValidate
      className="max-w-xl space-y-4 rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(null);
        save.mutate({ editableFields: SELF_EDITABLE_FIELDS.filter((field) => chosen.has(field)) });
      }}
    >
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Members may change their own</legend>
        {SELF_EDITABLE_FIELDS.map((field) => (
          <label key={field} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="size-4 accent-brand-600"
              checked={chosen.has(field)}
              onChange={(event) => {
                const next = new Set(chosen);
                if (event.target.checked) next.add(field);
                else next.delete(field);
                setChosen(next);
              }}
            />
            {SELF_EDITABLE_FIELD_LABELS[field]}
          </label>
        ))}
      </fieldset>
      <p className="text-xs text-slate-500">Names, username, email and role stay with administrators. Every field is still shown to the member, read-only.</p>
      <SuccessStatus message={saved} />
      {save.isError && !isStepUpRequired(save.error) ? <FormAlert>{save.error.message}</FormAlert> : null}
      <FormActions label="Save" pendingLabel="Saving…" pending={save.isPending} />
      {stepUpDialog}
    </form>
  );
}
