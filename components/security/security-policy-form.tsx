"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { useForm, type Path } from "react-hook-form";
import type { z } from "zod";
import { FormActions } from "@/components/form/form-actions";
import { Field, FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { SelectField } from "@/components/form/select-field";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { POLICY_LIMITS, ZSecurityPolicy, type TSecurityPolicy } from "@/server/auth/security-policy-schemas";

type TInput = z.input<typeof ZSecurityPolicy>;
type TOutput = z.output<typeof ZSecurityPolicy>;

const MFA_OPTIONS = [
  { value: "none", label: "Not required" },
  { value: "admins", label: "Administrators and owners" },
  { value: "everyone", label: "Everyone" },
] as const;

const ABNORMAL_OPTIONS = [
  { value: "record", label: "Record it and show it to the member and admins" },
  { value: "lock", label: "Refuse it and lock the account" },
] as const;

// Number inputs give strings: an empty one becomes NaN (refused with the field's message), or null where "never" is allowed.
const asNumber = (value: unknown) => (value === "" || value === null ? Number.NaN : Number(value));
const asNumberOrNull = (value: unknown) => (value === "" || value === null ? null : Number(value));

function Section({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-sm font-semibold text-slate-900">{title}</legend>
      <p className="-mt-2 text-xs text-slate-500">{description}</p>
      <div className="grid gap-4 sm:grid-cols-2">{children}</div>
    </fieldset>
  );
}

/** Console → Settings → Security: the tenant's security policy, validated as the server does. */
export function SecurityPolicyForm({ initial }: { initial: TSecurityPolicy }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [saved, setSaved] = useState<string | null>(null);
  const form = useForm<TInput, unknown, TOutput>({ resolver: zodResolver(ZSecurityPolicy), mode: "onTouched", defaultValues: initial });
  const { errors } = form.formState;
  const { requireStepUp, stepUpDialog } = useStepUp();
  const update = useMutation(
    trpc.security.updatePolicy.mutationOptions({
      onSuccess: (policy) => {
        form.reset(policy);
        setSaved("Security policy saved.");
        router.refresh();
      },
      onError: (error, values) => {
        // Security settings ask for a recent step-up: confirm, then the same save again.
        if (requireStepUp(error, () => update.mutate(values))) return;
        if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: error.message });
      },
    }),
  );

  const number = (name: Path<TInput>, label: string, hint: string, nullable = false) => {
    const limits = POLICY_LIMITS[name as keyof typeof POLICY_LIMITS];
    return (
      <Field
        label={label}
        type="number"
        inputMode="numeric"
        min={limits.min}
        max={limits.max}
        hint={hint}
        error={errors[name as keyof typeof errors]?.message}
        {...form.register(name, { setValueAs: nullable ? asNumberOrNull : asNumber })}
      />
    );
  };

  return (
    <form
      noValidate
      className="max-w-3xl space-y-6"
      onSubmit={form.handleSubmit((values) => {
        setSaved(null);
        update.mutate(values);
      })}
    >
      {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
      <SuccessStatus message={saved} />
      <Section title="Sessions" description="NIST SP 800-63B-4 caps these at 1 hour idle and 24 hours in all.">
        {number("idleTimeoutMinutes", "Idle timeout (minutes)", "Signed out after this long without a request (1–60).")}
        {number("absoluteLifetimeHours", "Session lifetime (hours)", "Signed out this long after signing in, however active (1–24).")}
      </Section>
      <Section
        title="Lockout"
        description="After this many failed attempts within the window, sign-in is throttled: not a lock (sessions go on), and failures from the member's own devices are counted apart from everyone else's. Each repeat within a day lasts longer."
      >
        {number("lockoutThreshold", "Failed attempts before lockout", "1–100 (never more than 100 in a row).")}
        {number("lockoutWindowMinutes", "Counted within (minutes)", "Failures older than this are forgotten.")}
        {number("lockoutDurationMinutes", "First lockout (minutes)", "The throttle ends by itself after this.")}
        {number("lockoutGrowthFactor", "Each repeat multiplies it by", "1 keeps it the same; 2 doubles it.")}
        {number("lockoutMaxDurationMinutes", "Longest lockout (minutes)", "The growth stops here (at most a week).")}
      </Section>
      <Section title="Passwords" description="No composition rules: length, and no common, leaked or personal passwords (NIST SP 800-63B-4).">
        {number("passwordMinLength", "Minimum length", "15 or more; 8 or more only when everyone must use MFA.")}
        {number("passwordHistoryCount", "Earlier passwords that may not be reused", "0–24.")}
        {number("passwordExpiryDays", "Password expires after (days)", "Empty: never (NIST advises against forced rotation).", true)}
        <SelectField label="Multi-factor authentication required for" options={MFA_OPTIONS} error={errors.mfaRequirement?.message} {...form.register("mfaRequirement")} />
      </Section>
      <Section title="Abnormal sign-in" description="A sign-in from a new device (browser and network not seen in 90 days) or unusually frequent sign-ins.">
        <div className="sm:col-span-2">
          <SelectField label="When a sign-in looks abnormal" options={ABNORMAL_OPTIONS} error={errors.abnormalLoginAction?.message} {...form.register("abnormalLoginAction")} />
        </div>
      </Section>
      <FormActions label="Save policy" pendingLabel="Saving…" pending={update.isPending} />
      {stepUpDialog}
    </form>
  );
}
