"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { useController, useFormContext } from "react-hook-form";
import type { TOnboardValues } from "@/components/onboarding/wizard-steps";
import { DepartmentChecklist } from "@/components/role-templates/department-checklist";
import { Checklist } from "@/components/form/checklist";
import type { TTemplateCatalogue } from "@/components/role-templates/use-template-catalogue";

function StepPanel({ intro, children }: { intro: string; children: ReactNode }) {
  return (
    <section className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      <p className="text-sm text-slate-600">{intro}</p>
      {children}
    </section>
  );
}

/** Opens in a new tab: the wizard stays as it is, and its lists refresh when the admin comes back (onboard-wizard.tsx). */
function CatalogueLink({ href, children }: { href: string; children: string }) {
  return (
    <Link href={href} target="_blank" rel="noopener" className="font-medium text-brand-700 underline">
      {children}
      <span className="sr-only"> (opens in a new tab)</span>
    </Link>
  );
}

/** Step 2: the member's departments and their main one. */
export function DepartmentsStep({ catalogue }: { catalogue: TTemplateCatalogue }) {
  const { control, formState, setValue } = useFormContext<TOnboardValues>();
  const departments = useController({ control, name: "departmentIds" });
  const main = useController({ control, name: "mainDepartmentId" });
  return (
    <StepPanel intro="Select the departments the member joins, and which one is their main department. None is fine too.">
      <DepartmentChecklist
        query={catalogue.departments}
        value={departments.field.value}
        onChange={(ids, mainId) => {
          departments.field.onChange(ids);
          setValue("mainDepartmentId", mainId, { shouldValidate: formState.isSubmitted });
        }}
        main={{ value: main.field.value ?? null, error: formState.errors.mainDepartmentId?.message }}
        error={formState.errors.departmentIds?.message}
      />
    </StepPanel>
  );
}

/** Step 3: the applications the member may use. */
export function ApplicationsStep({ catalogue }: { catalogue: TTemplateCatalogue }) {
  const { control, formState } = useFormContext<TOnboardValues>();
  const applications = useController({ control, name: "applicationIds" });
  return (
    <StepPanel intro="Authorise the applications the member can access.">
      <Checklist
        legend="Applications"
        what="applications"
        query={catalogue.applications}
        value={applications.field.value}
        onChange={applications.field.onChange}
        error={formState.errors.applicationIds?.message}
        empty={<>No applications yet. <CatalogueLink href="/console/apps">Create them on the Apps page</CatalogueLink>.</>}
      />
    </StepPanel>
  );
}

/** Step 4: the member's roles and groups. */
export function RolesStep({ catalogue }: { catalogue: TTemplateCatalogue }) {
  const { control, formState } = useFormContext<TOnboardValues>();
  const roles = useController({ control, name: "roleIds" });
  const groups = useController({ control, name: "groupIds" });
  return (
    <StepPanel intro="Assign the member's roles (which carry their permissions) and groups.">
      <div className="grid gap-6 lg:grid-cols-2">
        <Checklist
          legend="Roles"
          what="roles"
          query={catalogue.roles}
          value={roles.field.value}
          onChange={roles.field.onChange}
          error={formState.errors.roleIds?.message}
          empty={<>No roles yet. <CatalogueLink href="/console/roles?tab=roles">Create them on the Roles page</CatalogueLink>.</>}
        />
        <Checklist
          legend="Groups"
          what="groups"
          query={catalogue.groups}
          value={groups.field.value}
          onChange={groups.field.onChange}
          error={formState.errors.groupIds?.message}
          empty={<>No groups yet. <CatalogueLink href="/console/roles?tab=groups">Create them on the Roles page</CatalogueLink>.</>}
        />
      </div>
    </StepPanel>
  );
}
