"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { CountrySelect } from "@/components/form/country-select";
import { Field, FormAlert } from "@/components/form/field";
import { SubmitButton } from "@/components/form/submit-button";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { useTRPC } from "@/components/trpc/client";
import { PASSWORD_MIN_LENGTH } from "@/server/validation/password";
import { ZCreateFirstTenant } from "@/server/tenants/schemas";

type TInput = z.input<typeof ZCreateFirstTenant>;
type TOutput = z.output<typeof ZCreateFirstTenant>;

export function SetupForm() {
  const router = useRouter();
  const trpc = useTRPC();
  const form = useForm<TInput, unknown, TOutput>({ resolver: zodResolver(ZCreateFirstTenant), mode: "onTouched" });
  const createFirstTenant = useMutation(
    trpc.setup.createFirstTenant.mutationOptions({
      onSuccess: ({ tenantSlug, username }) => {
        router.push(`/sign-in?organisation=${encodeURIComponent(tenantSlug)}&login=${encodeURIComponent(username)}&setup=done`);
      },
      onError: (error) => {
        if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: error.message });
      },
    }),
  );
  const { errors } = form.formState;

  return (
    <form noValidate onSubmit={form.handleSubmit((values) => createFirstTenant.mutate(values))} className="space-y-5">
      {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
      <Field
        label="Setup code"
        hint="Printed in the server log when Tenure starts: the line “Setup code: …”"
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        error={errors.setupCode?.message}
        {...form.register("setupCode")}
      />
      <fieldset className="space-y-4">
        <legend className="text-sm font-semibold text-slate-900">Organisation</legend>
        <Field label="Name" autoComplete="organization" error={errors.organisationName?.message} {...form.register("organisationName")} />
        <Field
          label="Short name (used to sign in)"
          hint="Lowercase letters, digits and dashes, e.g. acme"
          autoCapitalize="none"
          error={errors.organisationSlug?.message}
          {...form.register("organisationSlug")}
        />
      </fieldset>
      <fieldset className="space-y-4">
        <legend className="text-sm font-semibold text-slate-900">Your administrator account</legend>
        <div className="grid grid-cols-2 gap-3">
          <Field label="First name" autoComplete="given-name" error={errors.firstName?.message} {...form.register("firstName")} />
          <Field label="Last name" autoComplete="family-name" error={errors.lastName?.message} {...form.register("lastName")} />
        </div>
        <Field label="Username" autoComplete="username" autoCapitalize="none" error={errors.username?.message} {...form.register("username")} />
        <Field label="Email" type="email" autoComplete="email" error={errors.email?.message} {...form.register("email")} />
        <CountrySelect label="Phone number country" error={errors.country?.message} {...form.register("country")} />
        <Field label="Mobile number" type="tel" autoComplete="tel" error={errors.mobile?.message} {...form.register("mobile")} />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters; a passphrase of several words works well.`}
          error={errors.password?.message}
          {...form.register("password")}
        />
        <Field
          label="Repeat the password"
          type="password"
          autoComplete="new-password"
          error={errors.passwordConfirmation?.message}
          {...form.register("passwordConfirmation")}
        />
      </fieldset>
      <SubmitButton pending={createFirstTenant.isPending}>Create organisation</SubmitButton>
    </form>
  );
}
