"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, type ReactNode, type TextareaHTMLAttributes } from "react";
import { useForm, useWatch } from "react-hook-form";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { Field, FormAlert } from "@/components/form/field";
import { SelectField } from "@/components/form/select-field";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { useHydrated } from "@/components/form/use-hydrated";
import { useUnsavedChangesGuard } from "@/components/form/use-unsaved-changes-guard";
import { useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { CLAIM_SET_LABELS, CLIENT_TYPE_LABELS, durationWords } from "@/components/applications/sign-in-labels";
import {
  CLAIM_SETS,
  MAX_URIS_PER_LIST,
  OIDC_CLIENT_TYPES,
  TOKEN_TTL_CAPS,
  ZOidcSettingsInput,
  type TOidcSettingsInput,
  type TOidcSettingsValues,
} from "@/server/applications/oidc-settings-schemas";
import type { TApplicationSignInView } from "@/server/applications/get-application-sign-in";

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="min-w-0 space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-sm font-semibold text-slate-800">{title}</legend>
      {children}
    </fieldset>
  );
}

/** A list of addresses, one per line: the schema takes the text and checks each line. */
function UriList({ id, label, hint, error, ...textarea }: { id: string; label: string; hint: string; error?: string } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const describedBy = error ? `${id}-error` : `${id}-hint`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <textarea
        id={id}
        rows={3}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`block w-full rounded-md border px-3 py-2 font-mono text-xs shadow-sm outline-none focus:ring-2 focus:ring-brand-600 ${error ? "border-red-500" : "border-slate-300"}`}
        {...textarea}
      />
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      )}
    </div>
  );
}

/** The saved settings as the form's values: address lists as text, one per line. */
export function formValuesOf(view: TApplicationSignInView): TOidcSettingsInput {
  return {
    applicationId: view.id,
    expectedUpdatedAt: view.oidcUpdatedAt,
    ...view.settings,
    redirectUris: view.settings.redirectUris.join("\n"),
    postLogoutRedirectUris: view.settings.postLogoutRedirectUris.join("\n"),
    backchannelLogoutUri: view.settings.backchannelLogoutUri ?? "",
  };
}

const ttlHint = (field: keyof typeof TOKEN_TTL_CAPS, value: number) => {
  const cap = TOKEN_TTL_CAPS[field];
  const now = durationWords(value);
  return `${now ? `${now}. ` : ""}From ${cap.min.toLocaleString("en-GB")} (${cap.minText}) to ${cap.max.toLocaleString("en-GB")} seconds (${cap.maxText}).`;
};

/**
 * An application's sign-in settings: enabling sign-in (view.enabled false)
 * or changing them. Owners edit; admins read. A secret the save made (a
 * confidential client's first) goes to `onSecret`, to be shown once.
 */
export function SignInSettingsForm({
  view,
  canEdit,
  onSaved,
}: {
  view: TApplicationSignInView;
  canEdit: boolean;
  onSaved: (result: { message: string; secret: string | null; clientId: string }) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const hydrated = useHydrated();
  const { requireStepUp, stepUpDialog } = useStepUp();
  const form = useForm<TOidcSettingsInput, unknown, TOidcSettingsValues>({ resolver: zodResolver(ZOidcSettingsInput), defaultValues: formValuesOf(view) });
  const enable = useMutation(trpc.applicationSignIn.enable.mutationOptions());
  const update = useMutation(trpc.applicationSignIn.update.mutationOptions());
  const errors = form.formState.errors;
  const leaveGuard = useUnsavedChangesGuard(canEdit && form.formState.isDirty);
  const [clientType, accessTtl, idTtl, refreshTtl] = useWatch({ control: form.control, name: ["clientType", "accessTokenTtlSeconds", "idTokenTtlSeconds", "refreshTokenTtlSeconds"] });

  const save = (values: TOidcSettingsValues) => {
    const mutation = view.enabled ? update : enable;
    mutation.mutate(values, {
      onSuccess: (result) => {
        onSaved({ message: view.enabled ? "Sign-in settings saved." : "Sign-in enabled.", secret: result.secret, clientId: result.clientId });
        // The panel re-reads the settings; the form starts again from the saved version.
        void queryClient.invalidateQueries(trpc.applicationSignIn.get.queryFilter({ applicationId: view.id }));
      },
      onError: (error) => {
        if (requireStepUp(error, () => save(values))) return;
        if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: error.message });
      },
    });
  };

  const pending = enable.isPending || update.isPending;
  return (
    <form noValidate aria-label="Sign-in settings" className="space-y-4" onSubmit={form.handleSubmit(save)}>
      {!canEdit ? <FormAlert tone="info">Only owners change an application&apos;s sign-in settings.</FormAlert> : null}
      <fieldset disabled={!canEdit} className="min-w-0 space-y-4">
        <Section title="Client">
          <SelectField
            id={`${id}-type`}
            label="Client type"
            options={OIDC_CLIENT_TYPES.map((value) => ({ value, label: CLIENT_TYPE_LABELS[value] }))}
            hint={clientType === "public" ? "Public clients prove themselves with PKCE; they get no secret." : "Confidential clients authenticate with the client secret at the token endpoint."}
            error={errors.clientType?.message}
            {...form.register("clientType")}
          />
          <div>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" className="size-4 accent-brand-600" {...form.register("firstParty")} />
              First-party application: members are not asked for consent
            </label>
            <p className="ml-6 text-xs text-slate-600">Leave it off for a third party: each member agrees once, and can withdraw it from My account.</p>
          </div>
        </Section>

        <Section title="Addresses">
          <UriList
            id={`${id}-redirect`}
            label="Redirect URIs"
            hint={`One per line, at most ${MAX_URIS_PER_LIST}, matched exactly: https:// (http:// only for localhost or 127.0.0.1), no wildcards, no #fragment.`}
            error={errors.redirectUris?.message}
            {...form.register("redirectUris")}
          />
          <UriList
            id={`${id}-post-logout`}
            label="Post-logout redirect URIs"
            hint="Where the application may send members after signing out; same rules. Optional."
            error={errors.postLogoutRedirectUris?.message}
            {...form.register("postLogoutRedirectUris")}
          />
          <Field
            id={`${id}-backchannel`}
            label="Back-channel logout URI"
            hint="Tenure posts a logout token here when a member's session ends (disabled, locked, left…). Optional; same rules."
            error={errors.backchannelLogoutUri?.message}
            autoComplete="off"
            spellCheck={false}
            {...form.register("backchannelLogoutUri")}
          />
        </Section>

        <Section title="Token lifetimes (seconds)">
          <div className="grid gap-3 sm:grid-cols-3">
            <Field id={`${id}-access`} type="number" inputMode="numeric" label="Access token" hint={ttlHint("accessTokenTtlSeconds", accessTtl)} error={errors.accessTokenTtlSeconds?.message} {...form.register("accessTokenTtlSeconds", { valueAsNumber: true })} />
            <Field id={`${id}-id`} type="number" inputMode="numeric" label="ID token" hint={ttlHint("idTokenTtlSeconds", idTtl)} error={errors.idTokenTtlSeconds?.message} {...form.register("idTokenTtlSeconds", { valueAsNumber: true })} />
            <Field id={`${id}-refresh`} type="number" inputMode="numeric" label="Refresh token" hint={ttlHint("refreshTokenTtlSeconds", refreshTtl)} error={errors.refreshTokenTtlSeconds?.message} {...form.register("refreshTokenTtlSeconds", { valueAsNumber: true })} />
          </div>
        </Section>

        <Section title="Claims the application receives">
          <p className="text-xs text-slate-600">The member&apos;s id (sub) always; the rest only when chosen here.</p>
          <div className="grid gap-2 sm:grid-cols-2">
            {CLAIM_SETS.map((set) => (
              <label key={set} className="flex items-start gap-2 text-sm">
                <input type="checkbox" value={set} className="mt-0.5 size-4 accent-brand-600" {...form.register("claimSets")} />
                <span>
                  {CLAIM_SET_LABELS[set].label}
                  <span className="block text-xs text-slate-600">{CLAIM_SET_LABELS[set].hint}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.claimSets?.message ? <p role="alert" className="text-sm text-red-600">{errors.claimSets.message}</p> : null}
        </Section>
      </fieldset>

      {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
      {canEdit ? (
        <button type="submit" className={PRIMARY_BUTTON} disabled={!hydrated || pending}>
          {pending ? "Saving…" : view.enabled ? "Save sign-in settings" : "Enable sign-in"}
        </button>
      ) : null}
      {leaveGuard}
      {stepUpDialog}
    </form>
  );
}
