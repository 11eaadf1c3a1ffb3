"use client";

import { useFormContext } from "react-hook-form";
import { Field } from "@/components/form/field";
import { MemberFormFields } from "@/components/members/member-form-fields";
import { TemplatePicker } from "@/components/onboarding/template-picker";
import type { TOnboardValues } from "@/components/onboarding/wizard-steps";

/** Step 1: the account (by mobile or email), where to start from, and when the member starts. */
export function AccountStep({ canGrantOwner, appliedTemplate, onTemplateApplied }: { canGrantOwner: boolean; appliedTemplate: string | null; onTemplateApplied: (name: string | null) => void }) {
  const { register, formState } = useFormContext<TOnboardValues>();
  return (
    <div className="space-y-6">
      <TemplatePicker applied={appliedTemplate} onApplied={onTemplateApplied} />
      <MemberFormFields canGrantOwner={canGrantOwner} />
      <fieldset className="rounded-lg border border-slate-200 bg-white p-5">
        <legend className="px-1 text-sm font-semibold text-slate-900">Start</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Start date (optional)"
            type="datetime-local"
            hint="Empty: the account is active at once. Otherwise it stays pending and opens by itself at that moment (your time zone)."
            error={formState.errors.startDate?.message}
            {...register("startDate")}
          />
        </div>
      </fieldset>
    </div>
  );
}
