"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useId, type InputHTMLAttributes } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import type { z } from "zod";
import { ALERT_CLASS_HINTS, ALERT_CLASS_LABELS } from "@/components/alerts/alert-labels";
import { Field, FormAlert } from "@/components/form/field";
import { FormActions } from "@/components/form/form-actions";
import { SelectField } from "@/components/form/select-field";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { ALERT_EVENT_CLASSES } from "@/server/audit/alertable-actions";
import { ZAlertRuleInput } from "@/server/alerts/schemas";

type TValues = z.input<typeof ZAlertRuleInput>;
type TOutput = z.output<typeof ZAlertRuleInput>;
export type TAlertRuleValues = TValues;
export type TRecipientCandidate = { memberId: string; fullName: string; owner: boolean };

export const NEW_RULE: TValues = {
  eventClass: "sensitive_grant",
  notifyOwners: true,
  notifyAdmins: false,
  memberIds: [],
  byConsole: true,
  byMail: true,
  policyPatterns: ["*:*"],
  threshold: 10,
  enabled: true,
};

/** "members:*, *:delete" as typed, into the list of patterns the schema checks. */
const splitPatterns = (value: unknown) => (typeof value === "string" ? value.split(/[\s,]+/).filter(Boolean) : value);

function Check({ label, ...input }: { label: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" className="size-4 accent-brand-600" {...input} />
      {label}
    </label>
  );
}

/** Create or edit one alert rule (owners only; the server checks, and asks for a step-up). */
export function AlertRuleForm({
  ruleId,
  initial,
  candidates,
  onDone,
  onCancel,
}: {
  ruleId: string | null;
  initial: TValues;
  candidates: readonly TRecipientCandidate[];
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const id = useId();
  const { requireStepUp, stepUpDialog } = useStepUp();
  const form = useForm<TValues, unknown, TOutput>({ resolver: zodResolver(ZAlertRuleInput), defaultValues: initial });
  const onError = (error: unknown, retry: () => void) => {
    if (requireStepUp(error, retry)) return;
    if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: (error as Error).message });
  };
  const create = useMutation(trpc.alerts.createRule.mutationOptions());
  const update = useMutation(trpc.alerts.updateRule.mutationOptions());
  const save = (values: TOutput) => {
    const options = { onSuccess: () => onDone(ruleId ? "Rule saved." : "Rule created."), onError: (error: unknown) => onError(error, () => save(values)) };
    if (ruleId) update.mutate({ ruleId, ...values }, options);
    else create.mutate(values, options);
  };
  const eventClass = useWatch({ control: form.control, name: "eventClass" });
  const errors = form.formState.errors;
  const pending = create.isPending || update.isPending;

  return (
    <form noValidate aria-label={ruleId ? "Edit the alert rule" : "New alert rule"} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" onSubmit={form.handleSubmit(save)}>
      <SelectField
        id={`${id}-class`}
        label="Alert on"
        options={ALERT_EVENT_CLASSES.map((value) => ({ value, label: ALERT_CLASS_LABELS[value] }))}
        hint={ALERT_CLASS_HINTS[eventClass]}
        error={errors.eventClass?.message}
        {...form.register("eventClass")}
      />
      {eventClass === "sensitive_grant" ? (
        <Field
          id={`${id}-patterns`}
          label="Permission patterns"
          hint="resource:action, separated by commas; * stands for anything on either side (*:* is every permission). A raise to admin or owner always alerts."
          error={errors.policyPatterns?.message ?? errors.policyPatterns?.[0]?.message}
          defaultValue={initial.policyPatterns.join(", ")}
          {...form.register("policyPatterns", { setValueAs: splitPatterns })}
        />
      ) : null}
      {eventClass === "bulk_lifecycle" ? (
        <Field id={`${id}-threshold`} type="number" inputMode="numeric" min={2} label="At least this many members" error={errors.threshold?.message} {...form.register("threshold")} />
      ) : null}
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Who is alerted</legend>
        <Check label="The owners" {...form.register("notifyOwners")} />
        <Check label="Every admin (owners included)" {...form.register("notifyAdmins")} />
        {errors.notifyOwners?.message ? (
          <p role="alert" className="text-sm text-red-600">
            {errors.notifyOwners.message}
          </p>
        ) : null}
        <Controller
          control={form.control}
          name="memberIds"
          render={({ field }) => (
            <fieldset className="space-y-1">
              <legend className="text-sm text-slate-700">And these admins by name</legend>
              {candidates.map((candidate) => (
                <Check
                  key={candidate.memberId}
                  label={`${candidate.fullName}${candidate.owner ? " (owner)" : ""}`}
                  checked={field.value.includes(candidate.memberId)}
                  onChange={(event) =>
                    field.onChange(event.target.checked ? [...field.value, candidate.memberId] : field.value.filter((memberId) => memberId !== candidate.memberId))
                  }
                />
              ))}
              {errors.memberIds?.message ? (
                <p role="alert" className="text-sm text-red-600">
                  {errors.memberIds.message}
                </p>
              ) : null}
            </fieldset>
          )}
        />
        <p className="text-xs text-slate-600">The one who acted is never alerted alone: then the other owners (or, without any, the other admins) are alerted too.</p>
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">How</legend>
        <Check label="In the console (Notifications)" {...form.register("byConsole")} />
        <Check label="By mail (through the outbox)" {...form.register("byMail")} />
        {errors.byMail?.message ? (
          <p role="alert" className="text-sm text-red-600">
            {errors.byMail.message}
          </p>
        ) : null}
      </fieldset>
      <Check label="Enabled" {...form.register("enabled")} />
      {errors.root?.message && !isStepUpRequired(create.error ?? update.error) ? <FormAlert>{errors.root.message}</FormAlert> : null}
      <FormActions label={ruleId ? "Save the rule" : "Create the rule"} pendingLabel="Saving…" pending={pending} onCancel={onCancel} />
      {stepUpDialog}
    </form>
  );
}
