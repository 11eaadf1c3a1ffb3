"use client";

import type { ReactNode } from "react";
import { useFormContext } from "react-hook-form";
import { CountrySelect } from "@/components/form/country-select";
import { Field } from "@/components/form/field";
import { SelectField } from "@/components/form/select-field";
import { GENDER_OPTIONS, ROLE_OPTIONS } from "@/components/members/member-labels";
import type { TMemberCreateInput } from "@/server/members/schemas";
import type { TManagedBy, TManagedField } from "@/server/shared/managed-fields";
import { isManaged, managedFieldProps } from "@/components/form/managed-field";

/** The profile fields both forms have (create's input; edit adds memberId and the version it started from). */
export type TMemberFieldValues = TMemberCreateInput;

type TProps = {
  /** Only owners may grant the owner role; others see the choice, disabled. */
  canGrantOwner: boolean;
  /** Why the role cannot be changed here (e.g. it is the admin's own): shown instead of a choice. */
  roleLockedReason?: string | null;
  /** The directory that fills some of these fields: they are read-only here. */
  managedBy?: TManagedBy | null;
};

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <fieldset className="rounded-lg border border-slate-200 bg-white p-5">
      <legend className="px-1 text-sm font-semibold text-slate-900">{title}</legend>
      {description ? <p className="mb-4 text-xs text-slate-500">{description}</p> : null}
      <div className="grid gap-4 sm:grid-cols-2">{children}</div>
    </fieldset>
  );
}

/** Identity, contact and work fields of a member, for the create and the edit form (inside their FormProvider). */
export function MemberFormFields({ canGrantOwner, roleLockedReason, managedBy }: TProps) {
  const { register, formState, getValues } = useFormContext<TMemberFieldValues>();
  const managed = (field: TManagedField) => managedFieldProps(managedBy, field);
  const { errors } = formState;
  // A select's empty choice is "no value", which the schema takes as null, not as "".
  const emptyAsNull = (value: unknown) => (value === "" ? null : value);

  return (
    <div className="space-y-6">
      <Section title="Identity">
        <Field label="First name" autoComplete="off" error={errors.firstName?.message} {...register("firstName")} {...managed("firstName")} />
        <Field label="Last name" autoComplete="off" error={errors.lastName?.message} {...register("lastName")} {...managed("lastName")} />
        <div className="sm:col-span-2">
          <Field
            label="Full name (optional)"
            autoComplete="off"
            hint="Leave empty to make it from the first and last name, in your organisation's name order."
            error={errors.fullName?.message}
            {...register("fullName")}
            {...managed("fullName")}
          />
        </div>
        <Field
          label="Username"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          hint="Letters, digits, dot, dash and underscore; used to sign in."
          error={errors.username?.message}
          {...register("username")}
          {...managed("username")}
        />
        <Field
          label="Email"
          type="email"
          autoComplete="off"
          spellCheck={false}
          hint="An email address or a mobile number (below): at least one. Without an email, you hand the member their invitation link yourself."
          error={errors.email?.message}
          {...register("email")}
          {...managed("email")}
        />
      </Section>

      <Section title="Contact" description="The mobile number is checked against the numbering plan of the chosen country.">
        {isManaged(managedBy, "country") ? (
          // A select cannot be read-only: the value travels in a hidden input, the select only shows it.
          <>
            <input type="hidden" {...register("country")} />
            <CountrySelect label="Phone number country" name="country-managed" id="country" defaultValue={getValues("country") ?? ""} disabled hint={managed("country").hint} />
          </>
        ) : (
          <CountrySelect label="Phone number country" error={errors.country?.message} {...register("country")} />
        )}
        <Field
          label="Mobile number"
          type="tel"
          autoComplete="off"
          hint="As dialled in that country (e.g. 07911 123456), or with + and the country code. May stay empty when there is an email address."
          error={errors.mobile?.message}
          {...register("mobile")}
          {...managed("mobile")}
        />
        <Field label="Landline (optional)" type="tel" autoComplete="off" error={errors.landline?.message} {...register("landline")} {...managed("landline")} />
        <Field label="Address (optional)" autoComplete="off" error={errors.address?.message} {...register("address")} {...managed("address")} />
      </Section>

      <Section title="Work">
        <Field label="Title (optional)" autoComplete="off" hint="The job title, e.g. Engineer." error={errors.title?.message} {...register("title")} {...managed("title")} />
        {isManaged(managedBy, "gender") ? (
          <>
            <input type="hidden" {...register("gender", { setValueAs: emptyAsNull })} />
            <SelectField label="Gender (optional)" name="gender-managed" id="gender" emptyOption="Not given" options={GENDER_OPTIONS} defaultValue={getValues("gender") ?? ""} disabled hint={managed("gender").hint} />
          </>
        ) : (
          <SelectField
            label="Gender (optional)"
            emptyOption="Not given"
            options={GENDER_OPTIONS}
            error={errors.gender?.message}
            {...register("gender", { setValueAs: emptyAsNull })}
          />
        )}
        {roleLockedReason ? (
          // Not registered: the form keeps submitting the role it was loaded with.
          <SelectField
            label="Role"
            name="role-locked"
            id="role"
            options={ROLE_OPTIONS}
            defaultValue={getValues("role")}
            disabled
            hint={roleLockedReason}
            error={errors.role?.message}
          />
        ) : (
          <SelectField
            label="Role"
            options={ROLE_OPTIONS.map((option) => ({ ...option, disabled: option.value === "owner" && !canGrantOwner }))}
            hint={
              canGrantOwner
                ? "Administrators use the console; owners may also manage other owners."
                : "Administrators use the console. Only an owner may make someone an owner."
            }
            error={errors.role?.message}
            {...register("role")}
          />
        )}
      </Section>
    </div>
  );
}
