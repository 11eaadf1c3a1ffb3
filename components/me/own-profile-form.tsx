"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import Image from "next/image";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { useUnsavedChangesGuard } from "@/components/form/use-unsaved-changes-guard";
import type { z } from "zod";
import { CountrySelect } from "@/components/form/country-select";
import { Field, FormAlert } from "@/components/form/field";
import { FormActions } from "@/components/form/form-actions";
import { useStepUp } from "@/components/step-up/use-step-up";
import { SelectField } from "@/components/form/select-field";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { GENDER_OPTIONS } from "@/components/members/member-labels";
import { useTRPC } from "@/components/trpc/client";
import { SELF_EDITABLE_FIELD_LABELS, ZOwnProfileUpdate, type TSelfEditableField } from "@/server/self-service/schemas";
import { SuccessStatus } from "@/components/form/success-status";
import { isManaged, managedFieldProps } from "@/components/form/managed-field";
import type { TManagedBy, TManagedField } from "@/server/shared/managed-fields";

type TInput = z.input<typeof ZOwnProfileUpdate>;
type TOutput = z.output<typeof ZOwnProfileUpdate>;
type TText = Record<"mobile" | "country" | "landline" | "address" | "title" | "gender" | "avatarUrl", string>;

const emptyAsNull = (value: unknown) => (value === "" ? null : value);

/** Only the fields the organisation allows are in the form, so only they are sent (the server refuses any other). */
function defaultsFor(editable: readonly TSelfEditableField[], initial: TText & { expectedLastModifiedDate: Date }): TInput {
  const values: TInput = { expectedLastModifiedDate: initial.expectedLastModifiedDate };
  if (editable.includes("mobile")) Object.assign(values, { mobile: initial.mobile, country: initial.country });
  for (const field of ["landline", "address", "title", "gender", "avatarUrl"] as const) {
    if (editable.includes(field)) Object.assign(values, { [field]: field === "gender" ? initial.gender || null : initial[field] });
  }
  return values;
}

type TProps = {
  editableFields: readonly TSelfEditableField[];
  initial: TText & { expectedLastModifiedDate: Date };
  /** The directory that fills some fields: read-only here (the server refuses changes anyway). */
  managedBy?: TManagedBy | null;
};

/**
 * The member edits the fields of their own profile that the organisation lets
 * them, with the console's rules. After a save the form starts again from the
 * version the page reads (a fresh form, keyed by it); the confirmation lives
 * here, outside that key, so it stays.
 */
export function OwnProfileForm(props: TProps) {
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <ProfileForm
      key={props.initial.expectedLastModifiedDate.toISOString()}
      {...props}
      saved={saved}
      onSaved={setSaved}
    />
  );
}

function ProfileForm({ editableFields, initial, managedBy = null, saved, onSaved: setSaved }: TProps & { saved: string | null; onSaved: (message: string | null) => void }) {
  const managed = (field: TManagedField) => managedFieldProps(managedBy, field);
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const form = useForm<TInput, unknown, TOutput>({ resolver: zodResolver(ZOwnProfileUpdate), mode: "onTouched", defaultValues: defaultsFor(editableFields, initial) });
  const avatarUrl = useWatch({ control: form.control, name: "avatarUrl" });
  const { errors } = form.formState;
  // Changing the mobile (a sign-in contact) asks "Confirm it's you" when the last proof is stale.
  const { requireStepUp, stepUpDialog } = useStepUp();
  const update = useMutation(
    trpc.selfService.updateProfile.mutationOptions({
      onSuccess: ({ changed }) => {
        setSaved(changed.length === 0 ? "Nothing changed." : "Your profile is saved.");
        // The page reads the record again; the form starts from the new version.
        router.refresh();
      },
      onError: (error, values) => {
        if (requireStepUp(error, () => update.mutate(values))) return;
        if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: error.message });
      },
    }),
  );
  const leaveDialog = useUnsavedChangesGuard(form.formState.isDirty && !update.isSuccess);
  const can = (field: TSelfEditableField) => editableFields.includes(field);
  const preview = typeof avatarUrl === "string" && avatarUrl.startsWith("https://") && !errors.avatarUrl ? avatarUrl : null;

  return (
    <form
      noValidate
      aria-label="Edit your profile"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-5"
      onSubmit={form.handleSubmit((values) => {
        setSaved(null);
        update.mutate(values);
      })}
    >
      <div>
        <h2 className="text-sm font-semibold text-slate-900">What you can change</h2>
        <p className="text-xs text-slate-500">Your organisation lets you edit: {editableFields.map((field) => SELF_EDITABLE_FIELD_LABELS[field].toLowerCase()).join(", ")}.</p>
      </div>
      <SuccessStatus message={saved} />
      {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        {can("mobile") ? (
          <>
            {isManaged(managedBy, "country") ? (
              // A select cannot be read-only: the value travels in a hidden input, the select only shows it.
              <>
                <input type="hidden" {...form.register("country")} />
                <CountrySelect id={`${id}-country`} name="country-managed" label="Phone number country" defaultValue={initial.country} disabled hint={managed("country").hint} />
              </>
            ) : (
              <CountrySelect id={`${id}-country`} label="Phone number country" error={errors.country?.message} {...form.register("country")} />
            )}
            <Field id={`${id}-mobile`} label="Mobile number" type="tel" autoComplete="tel" error={errors.mobile?.message} {...form.register("mobile")} {...managed("mobile")} />
          </>
        ) : null}
        {can("landline") ? <Field id={`${id}-landline`} label="Landline" type="tel" error={errors.landline?.message} {...form.register("landline")} {...managed("landline")} /> : null}
        {can("title") ? <Field id={`${id}-title`} label="Job title" error={errors.title?.message} {...form.register("title")} {...managed("title")} /> : null}
        {can("gender") && isManaged(managedBy, "gender") ? (
          <>
            <input type="hidden" {...form.register("gender", { setValueAs: emptyAsNull })} />
            <SelectField id={`${id}-gender`} name="gender-managed" label="Gender" emptyOption="Not given" options={GENDER_OPTIONS} defaultValue={initial.gender} disabled hint={managed("gender").hint} />
          </>
        ) : can("gender") ? (
          <SelectField
            id={`${id}-gender`}
            label="Gender"
            emptyOption="Not given"
            options={GENDER_OPTIONS}
            error={errors.gender?.message}
            {...form.register("gender", { setValueAs: emptyAsNull })}
          />
        ) : null}
      </div>
      {can("address") ? <Field id={`${id}-address`} label="Address" autoComplete="street-address" error={errors.address?.message} {...form.register("address")} {...managed("address")} /> : null}
      {can("avatarUrl") ? (
        <div className="flex items-end gap-4">
          <div className="flex-1">
            <Field
              id={`${id}-avatar`}
              label="Avatar (address of a picture)"
              type="url"
              hint="An https:// address; empty removes it."
              error={errors.avatarUrl?.message}
              {...form.register("avatarUrl")}
            />
          </div>
          {preview ? <Image src={preview} alt="Your avatar" width={48} height={48} unoptimized referrerPolicy="no-referrer" className="size-12 rounded-full object-cover" /> : null}
        </div>
      ) : null}
      <FormActions label="Save" pendingLabel="Saving…" pending={update.isPending} />
      {stepUpDialog}
      {leaveDialog}
    </form>
  );
}
