"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useFormContext } from "react-hook-form";
import { FormAlert } from "@/components/form/field";
import { SelectField } from "@/components/form/select-field";
import type { TOnboardValues } from "@/components/onboarding/wizard-steps";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";

const ids = (items: { id: string }[]) => items.map((item) => item.id);

/**
 * "Start from a template": choosing one fills steps 2-4 (departments, the
 * first as main, applications, roles, groups) with the template's sets, which
 * stay editable. Choosing none leaves the steps as they are.
 */
export function TemplatePicker({ applied, onApplied }: { applied: string | null; onApplied: (name: string | null) => void }) {
  const trpc = useTRPC();
  const templates = useQuery(trpc.roleTemplates.list.queryOptions());
  const { setValue, watch, formState } = useFormContext<TOnboardValues>();
  const templateId = watch("templateId") ?? "";
  const error = formState.errors.templateId?.message;

  const choose = (chosenId: string) => {
    const template = templates.data?.find((candidate) => candidate.id === chosenId);
    if (!template) {
      setValue("templateId", null);
      onApplied(null);
      return;
    }
    const options = { shouldDirty: true, shouldValidate: false };
    setValue("templateId", template.id, options);
    setValue("departmentIds", ids(template.departments), options);
    setValue("mainDepartmentId", template.departments[0]?.id ?? null, options);
    setValue("applicationIds", ids(template.applications), options);
    setValue("roleIds", ids(template.roles), options);
    setValue("groupIds", ids(template.groups), options);
    onApplied(template.name);
  };

  const empty = (
      <p className="text-sm text-slate-600">
        No role templates yet.{" "}
        <Link href="/console/roles?tab=templates" className="font-medium text-brand-700 underline">
          Create one on the Roles page
        </Link>{" "}
        to onboard in one click; or choose everything in the next steps.
      </p>
  );
  const body = (
    <ListState query={templates} loading="Loading templates…" failure="The templates could not be loaded" empty={empty}>
      {(choices) => (
      <SelectField
        id="templateId"
        label="Start from a template"
        emptyOption="No template: choose everything myself"
        options={choices.map((template) => ({ value: template.id, label: template.name }))}
        value={templateId}
        onChange={(event) => choose(event.target.value)}
        hint="Pre-fills the departments, applications, roles and groups of the next steps; you can still change them."
        error={error}
      />
      )}
    </ListState>
  );

  return (
    <section className="space-y-3 rounded-lg border border-slate-200 bg-brand-50 p-5">
      {body}
      {applied ? <FormAlert tone="info">Steps 2–4 are pre-filled from “{applied}”.</FormAlert> : null}
    </section>
  );
}
