"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type InputHTMLAttributes, type ReactNode } from "react";
import { useForm, useWatch } from "react-hook-form";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { Field, FormAlert } from "@/components/form/field";
import { SelectField } from "@/components/form/select-field";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { StaleEditNotice } from "@/components/form/stale-edit-notice";
import { SuccessStatus } from "@/components/form/success-status";
import { useHydrated } from "@/components/form/use-hydrated";
import { useUnsavedChangesGuard } from "@/components/form/use-unsaved-changes-guard";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import {
  CHANGE_MARK_LABELS,
  DEPARTMENT_SOURCE_LABELS,
  DEPROVISION_LABELS,
  DISABLED_SIGNAL_LABELS,
  ENTRY_ID_FORMAT_LABELS,
  USERNAME_FORMAT_LABELS,
  FIELD_LABELS,
  LINK_LABELS,
  PRESET_LABELS,
} from "@/components/directories/directory-labels";
import { ConnectionTestResult, PreviewResult, type TConnectionTestAnswer, type TPreviewAnswer } from "@/components/directories/directory-probe-results";
import { departmentOptions } from "@/components/directories/department-options";
import { CHANGE_MARKS, DIRECTORY_PRESETS, DISABLED_SIGNALS, ENTRY_ID_FORMATS, MANAGED_FIELDS, PRESETS, USERNAME_FORMATS, managedFields, type TDirectoryPreset } from "@/server/directories/attribute-mapping";
import { DEPARTMENT_SOURCES, DEPROVISION_ACTIONS, LINK_EXISTING_BY, ZDirectoryInput, type TDirectoryInput, type TDirectoryValues } from "@/server/directories/directory-schemas";

const options = <T extends string>(values: readonly T[], labels: Record<T, string>) => values.map((value) => ({ value, label: labels[value] }));

/** A new directory starts from a preset; every value stays editable. */
export function presetValues(preset: TDirectoryPreset): Pick<TDirectoryInput, "preset" | "attributeMapping" | "userFilter" | "groupFilter" | "departmentAttribute"> {
  const defaults = PRESETS[preset];
  return { preset, attributeMapping: { ...defaults.mapping }, userFilter: defaults.userFilter, groupFilter: defaults.groupFilter, departmentAttribute: defaults.departmentAttribute };
}

export const NEW_DIRECTORY: TDirectoryInput = {
  name: "",
  ...presetValues("openldap"),
  groupFilter: null,
  url: "",
  startTls: false,
  caCertificate: null,
  bindDn: "",
  bindPassword: "",
  baseDn: "",
  pageSize: 500,
  syncIntervalMinutes: 60,
  departmentSource: "none",
  departmentParentId: null,
  groupBaseDn: null,
  linkExistingBy: "username",
  deprovisionAction: "disable",
  reenableReturning: true,
  safetyStopPercent: 10,
  signInByBind: false,
};

function Check({ label, hint, ...input }: { label: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" className="size-4 accent-brand-600" {...input} />
        {label}
      </label>
      {hint ? <p className="ml-6 text-xs text-slate-600">{hint}</p> : null}
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="min-w-0 space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-sm font-semibold text-slate-800">{title}</legend>
      {children}
    </fieldset>
  );
}

const nested = (error: unknown): string | undefined => (error as { message?: string } | undefined)?.message;

/**
 * A directory's settings: create (directoryId null) or change. Owners edit;
 * admins read and may test and preview the saved directory. Test and preview
 * send owners' unsaved values (with the saved id, so an empty password means
 * the stored one, for the same address only). A change states the version
 * of the settings it started from: when someone else saved in between, the
 * form says so and offers to reload instead of overwriting their save.
 */
export function DirectorySettingsForm({
  directoryId,
  version: openedVersion = null,
  initial,
  hasBindPassword,
  canEdit,
  onSaved,
  actions,
}: {
  directoryId: string | null;
  /** The saved settings' version (settingsUpdatedAt); none for a new directory. */
  version?: Date | null;
  initial: TDirectoryInput;
  hasBindPassword: boolean;
  canEdit: boolean;
  onSaved: (id: string) => void;
  actions?: ReactNode;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const hydrated = useHydrated();
  const { requireStepUp, stepUpDialog } = useStepUp();
  const form = useForm<TDirectoryInput, unknown, TDirectoryValues>({ resolver: zodResolver(ZDirectoryInput), defaultValues: initial });
  const [saved, setSaved] = useState<string | null>(null);
  const [version, setVersion] = useState(openedVersion);
  const [staleMessage, setStaleMessage] = useState<string | null>(null);
  const [reloading, setReloading] = useState(false);
  const [testResult, setTestResult] = useState<TConnectionTestAnswer | null>(null);
  const [previewResult, setPreviewResult] = useState<TPreviewAnswer | null>(null);
  const departments = useQuery({ ...trpc.departments.tree.queryOptions(), enabled: canEdit });
  const create = useMutation(trpc.directories.create.mutationOptions());
  const update = useMutation(trpc.directories.update.mutationOptions());
  const testConnection = useMutation(trpc.directories.testConnection.mutationOptions());
  const preview = useMutation(trpc.directories.preview.mutationOptions());
  const errors = form.formState.errors;
  const leaveGuard = useUnsavedChangesGuard(canEdit && form.formState.isDirty);
  const [departmentSource, mapping, disabledSignal, url] = useWatch({ control: form.control, name: ["departmentSource", "attributeMapping", "attributeMapping.disabledSignal", "url"] });

  const onError = (error: unknown, retry: () => void) => {
    if (requireStepUp(error, retry)) return;
    if (applyServerFieldErrors(error, form.setError)) return;
    // A change refused as a conflict without a field: someone else saved these settings meanwhile.
    if (directoryId && (error as { data?: { code?: string } | null }).data?.code === "CONFLICT") setStaleMessage((error as Error).message);
    else form.setError("root", { message: (error as Error).message });
  };
  const save = (values: TDirectoryValues) => {
    setSaved(null);
    setStaleMessage(null);
    const done = (result: { id: string; settingsUpdatedAt?: Date }) => {
      if (result.settingsUpdatedAt) setVersion(result.settingsUpdatedAt);
      setSaved(directoryId ? "Directory saved." : "Directory connected.");
      form.reset({ ...form.getValues(), bindPassword: "" });
      // The list (and any page read before) shows the change at once.
      void queryClient.invalidateQueries(trpc.directories.pathFilter());
      onSaved(result.id);
    };
    const options = { onSuccess: done, onError: (error: unknown) => onError(error, () => save(values)) };
    if (!directoryId) create.mutate(values, options);
    else if (version) update.mutate({ directoryId, expectedSettingsUpdatedAt: version, ...values }, options);
    else form.setError("root", { message: "Reload the page: the form does not know which version of the settings it shows" });
  };

  /** The saved directory for admins; the form's values (checked first) for owners. */
  const probeInput = async () => {
    if (!canEdit) return directoryId ? { directoryId } : null;
    const fields = ["url", "startTls", "caCertificate", "bindDn", "bindPassword", "baseDn", "userFilter", "attributeMapping", "departmentSource", "departmentAttribute"] as const;
    if (!(await form.trigger(fields))) return null;
    const values = form.getValues();
    const settings = Object.fromEntries(fields.map((field) => [field, values[field]])) as Pick<TDirectoryInput, (typeof fields)[number]>;
    return { ...(directoryId ? { directoryId } : {}), settings };
  };
  const probeError = (error: unknown) => {
    if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: (error as Error).message });
  };
  const runTest = async () => {
    setTestResult(null);
    const input = await probeInput();
    if (input) testConnection.mutate(input, { onSuccess: setTestResult, onError: probeError });
  };
  const runPreview = async () => {
    setPreviewResult(null);
    const input = await probeInput();
    if (input) preview.mutate(input, { onSuccess: setPreviewResult, onError: probeError });
  };
  const applyPreset = (preset: TDirectoryPreset) => {
    const values = presetValues(preset);
    form.setValue("attributeMapping", values.attributeMapping, { shouldDirty: true });
    form.setValue("userFilter", values.userFilter, { shouldDirty: true });
    if (form.getValues("groupBaseDn")) form.setValue("groupFilter", values.groupFilter, { shouldDirty: true });
    form.setValue("departmentAttribute", values.departmentAttribute, { shouldDirty: true });
  };

  const pending = create.isPending || update.isPending;
  const secure = url.trim().toLowerCase().startsWith("ldaps:");
  return (
    <form noValidate aria-label={directoryId ? "Directory settings" : "New directory"} className="space-y-4" onSubmit={form.handleSubmit(save)}>
      {!canEdit ? <FormAlert tone="info">Only owners change a directory&apos;s settings. You can test the connection and preview the saved directory.</FormAlert> : null}
      <fieldset disabled={!canEdit} className="min-w-0 space-y-4">
        <Section title="Directory">
          <Field id={`${id}-name`} label="Name" error={errors.name?.message} autoComplete="off" {...form.register("name")} />
          <SelectField
            id={`${id}-preset`}
            label="Preset"
            hint="Choosing one fills the attribute mapping and the filters; every value stays editable."
            options={options(DIRECTORY_PRESETS, PRESET_LABELS)}
            error={errors.preset?.message}
            {...form.register("preset", { onChange: (event: { target: { value: string } }) => applyPreset(event.target.value as TDirectoryPreset) })}
          />
        </Section>

        <Section title="Connection">
          <Field id={`${id}-url`} label="Address" placeholder="ldaps://ldap.example.org:636" hint="ldap://host:389 or ldaps://host:636" error={errors.url?.message} autoComplete="off" {...form.register("url")} />
          {/* Not disabled for ldaps:// (a disabled input has no value in react-hook-form): the schema says why instead. */}
          <Check label="Use StartTLS (ldap:// addresses only)" hint={secure ? "ldaps:// is already encrypted: leave this off." : undefined} {...form.register("startTls")} />
          {errors.startTls?.message ? <p role="alert" className="text-sm text-red-600">{errors.startTls.message}</p> : null}
          <div className="space-y-1">
            <label htmlFor={`${id}-ca`} className="block text-sm font-medium text-slate-700">
              CA certificate (PEM)
            </label>
            <textarea
              id={`${id}-ca`}
              rows={4}
              spellCheck={false}
              aria-invalid={errors.caCertificate ? true : undefined}
              aria-describedby={`${id}-ca-${errors.caCertificate ? "error" : "hint"}`}
              className={`block w-full rounded-md border px-3 py-2 font-mono text-xs shadow-sm outline-none focus:ring-2 focus:ring-brand-600 ${errors.caCertificate ? "border-red-500" : "border-slate-300"}`}
              placeholder="-----BEGIN CERTIFICATE-----"
              {...form.register("caCertificate")}
            />
            {errors.caCertificate?.message ? (
              <p id={`${id}-ca-error`} role="alert" className="text-sm text-red-600">{errors.caCertificate.message}</p>
            ) : (
              <p id={`${id}-ca-hint`} className="text-xs text-slate-600">The CA that signed the directory&apos;s certificate, when it is not a public one. The certificate is always verified.</p>
            )}
          </div>
          <Field id={`${id}-bind-dn`} label="Bind DN" placeholder="cn=tenure-reader,ou=service,dc=example,dc=org" hint="A read-only service account; empty for an anonymous bind." error={errors.bindDn?.message} autoComplete="off" {...form.register("bindDn")} />
          <Field
            id={`${id}-bind-password`}
            type="password"
            label="Bind password"
            autoComplete="new-password"
            hint={hasBindPassword ? "Stored — leave empty to keep. Changing the address, TLS, CA or bind DN asks for it again." : "Stored encrypted; never shown again."}
            error={errors.bindPassword?.message}
            {...form.register("bindPassword")}
          />
        </Section>

        <Section title="Users">
          <Field id={`${id}-base-dn`} label="Base DN" placeholder="ou=people,dc=example,dc=org" error={errors.baseDn?.message} autoComplete="off" {...form.register("baseDn")} />
          <Field id={`${id}-user-filter`} label="User filter" error={errors.userFilter?.message} autoComplete="off" spellCheck={false} {...form.register("userFilter")} />
          <Field id={`${id}-page-size`} type="number" inputMode="numeric" min={1} max={5000} label="Page size" hint="Entries per page of a sync's search (1–5,000)." error={errors.pageSize?.message} {...form.register("pageSize")} />
          <Field
            id={`${id}-interval`}
            type="number"
            inputMode="numeric"
            min={5}
            max={10080}
            label="Sync every (minutes)"
            hint="Empty: on demand only. From 5 minutes to a week (10,080)."
            error={errors.syncIntervalMinutes?.message}
            {...form.register("syncIntervalMinutes")}
          />
        </Section>

        <Section title="Attribute mapping">
          <p className="text-sm text-slate-700">Which LDAP attribute fills which member field. A mapped field is managed by the directory; leave one empty to keep it in Tenure.</p>
          {errors.attributeMapping?.message ? <p role="alert" className="text-sm text-red-600">{errors.attributeMapping.message}</p> : null}
          <div className="grid gap-3 sm:grid-cols-2">
            <Field id={`${id}-map-entry-id`} label="Stable id attribute" error={nested(errors.attributeMapping?.entryId)} autoComplete="off" {...form.register("attributeMapping.entryId")} />
            <SelectField id={`${id}-map-entry-format`} label="Stable id format" options={options(ENTRY_ID_FORMATS, ENTRY_ID_FORMAT_LABELS)} {...form.register("attributeMapping.entryIdFormat")} />
            <SelectField id={`${id}-map-username-format`} label="Username from its attribute" options={options(USERNAME_FORMATS, USERNAME_FORMAT_LABELS)} {...form.register("attributeMapping.usernameFormat")} />
            {MANAGED_FIELDS.map((field) => (
              <Field
                key={field}
                id={`${id}-map-${field}`}
                label={`${FIELD_LABELS[field]} attribute`}
                error={nested(errors.attributeMapping?.[field])}
                autoComplete="off"
                {...form.register(`attributeMapping.${field}`, { setValueAs: (value: unknown) => (value === "" ? null : value) })}
              />
            ))}
            <SelectField id={`${id}-map-disabled`} label="Disabled accounts" options={options(DISABLED_SIGNALS, DISABLED_SIGNAL_LABELS)} {...form.register("attributeMapping.disabledSignal")} />
            {disabledSignal !== "none" ? (
              <Field
                id={`${id}-map-disabled-attribute`}
                label="Disabled attribute"
                error={nested(errors.attributeMapping?.disabledAttribute)}
                autoComplete="off"
                {...form.register("attributeMapping.disabledAttribute", { setValueAs: (value: unknown) => (value === "" ? null : value) })}
              />
            ) : null}
            <SelectField id={`${id}-map-change-mark`} label="Change order (incremental sync)" options={options(CHANGE_MARKS, CHANGE_MARK_LABELS)} {...form.register("attributeMapping.changeMark")} />
          </div>
        </Section>

        <Section title="Departments and groups">
          <SelectField id={`${id}-department-source`} label="Departments from" options={options(DEPARTMENT_SOURCES, DEPARTMENT_SOURCE_LABELS)} {...form.register("departmentSource")} />
          {departmentSource === "attribute" ? (
            <Field id={`${id}-department-attribute`} label="Department attribute" error={errors.departmentAttribute?.message} autoComplete="off" {...form.register("departmentAttribute")} />
          ) : null}
          {departmentSource !== "none" ? (
            <SelectField
              id={`${id}-department-parent`}
              label="Mirrored departments go under"
              emptyOption="The top of the tree"
              options={departmentOptions(departments.data ?? [], typeof initial.departmentParentId === "string" ? initial.departmentParentId : null)}
              error={errors.departmentParentId?.message}
              {...form.register("departmentParentId")}
            />
          ) : null}
          <Field id={`${id}-group-base`} label="Group base DN" hint="Empty: groups are not synced." error={errors.groupBaseDn?.message} autoComplete="off" {...form.register("groupBaseDn")} />
          <Field id={`${id}-group-filter`} label="Group filter" error={errors.groupFilter?.message} autoComplete="off" spellCheck={false} {...form.register("groupFilter")} />
        </Section>

        <Section title="Lifecycle">
          <SelectField id={`${id}-link`} label="First sync: link existing members" options={options(LINK_EXISTING_BY, LINK_LABELS)} {...form.register("linkExistingBy")} />
          <SelectField id={`${id}-deprovision`} label="When an entry disappears or is disabled" options={options(DEPROVISION_ACTIONS, DEPROVISION_LABELS)} {...form.register("deprovisionAction")} />
          <Check label="Re-enable members whose entries come back" {...form.register("reenableReturning")} />
          <Field
            id={`${id}-safety`}
            type="number"
            inputMode="numeric"
            min={1}
            max={100}
            label="Safety stop (%)"
            hint="A run that would deprovision more than this share of the directory's members stops and waits for an admin."
            error={errors.safetyStopPercent?.message}
            {...form.register("safetyStopPercent")}
          />
          <Check label="Members of this directory sign in with their LDAP password" hint="Checked by a bind as the member's DN; every sign-in rule still applies." {...form.register("signInByBind")} />
        </Section>
      </fieldset>

      {staleMessage ? (
        <StaleEditNotice
          title="These settings were changed by someone else."
          message={staleMessage}
          reloading={reloading}
          onReload={() => {
            setReloading(true);
            // The whole page again: the saved values, their version and the sync state, as someone else left them.
            window.location.reload();
          }}
        />
      ) : null}
      {errors.root?.message && !isStepUpRequired(create.error ?? update.error) ? <FormAlert>{errors.root.message}</FormAlert> : null}
      <SuccessStatus message={saved} />
      <div className="flex flex-wrap gap-2">
        {canEdit ? (
          <button type="submit" disabled={pending || !hydrated} className={PRIMARY_BUTTON}>
            {pending ? "Saving…" : directoryId ? "Save the directory" : "Connect the directory"}
          </button>
        ) : null}
        <button type="button" disabled={testConnection.isPending || !hydrated || (!canEdit && !directoryId)} className={SECONDARY_BUTTON} onClick={() => void runTest()}>
          {testConnection.isPending ? "Testing…" : "Test connection"}
        </button>
        <button type="button" disabled={preview.isPending || !hydrated || (!canEdit && !directoryId)} className={SECONDARY_BUTTON} onClick={() => void runPreview()}>
          {preview.isPending ? "Reading entries…" : "Preview 20 entries"}
        </button>
        {actions}
      </div>
      <ConnectionTestResult result={testResult} />
      <PreviewResult result={previewResult} fields={managedFields(mapping as TDirectoryValues["attributeMapping"])} />
      {stepUpDialog}
      {leaveGuard}
    </form>
  );
}
