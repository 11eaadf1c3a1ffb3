"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId } from "react";
import { useController, useForm, type Resolver } from "react-hook-form";
import { useUnsavedChangesGuard } from "@/components/form/use-unsaved-changes-guard";
import type { z } from "zod";
import { Field, FormAlert } from "@/components/form/field";
import { FormActions } from "@/components/form/form-actions";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { DepartmentChecklist } from "@/components/role-templates/department-checklist";
import { Checklist } from "@/components/form/checklist";
import { useTemplateCatalogue } from "@/components/role-templates/use-template-catalogue";
import { useTRPC } from "@/components/trpc/client";
import type { TRoleTemplate } from "@/server/role-templates/list-role-templates";
import { ZRoleTemplateCreate, ZRoleTemplateUpdate } from "@/server/role-templates/schemas";

// The update schema's fields are the create schema's plus `templateId`: one form type for both.
type TValues = z.input<typeof ZRoleTemplateUpdate>;
type TOutput = z.output<typeof ZRoleTemplateUpdate>;

const createResolver = zodResolver(ZRoleTemplateCreate) as unknown as Resolver<TValues, unknown, TOutput>;
const updateResolver = zodResolver(ZRoleTemplateUpdate);

const idsOf = (items: { id: string }[] | undefined) => items?.map((item) => item.id) ?? [];

function defaultsOf(template: TRoleTemplate | undefined): Partial<TValues> {
  return {
    name: template?.name ?? "",
    description: template?.description ?? "",
    departmentIds: idsOf(template?.departments),
    applicationIds: idsOf(template?.applications),
    roleIds: idsOf(template?.roles),
    groupIds: idsOf(template?.groups),
    ...(template ? { templateId: template.id } : {}),
  };
}

function CatalogueLink({ href, children }: { href: string; children: string }) {
  return (
    <Link href={href} className="font-medium text-brand-700 underline">
      {children}
    </Link>
  );
}

/** Creates a role template or, given `template`, edits it: name, description and what it hands out. */
export function RoleTemplateForm({
  template,
  onDone,
  onCancel,
}: {
  template?: TRoleTemplate;
  onDone: (message: string) => void;
  onCancel?: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const catalogue = useTemplateCatalogue();
  const form = useForm<TValues, unknown, TOutput>({ resolver: template ? updateResolver : createResolver, defaultValues: defaultsOf(template) });
  const departments = useController({ control: form.control, name: "departmentIds" });
  const applications = useController({ control: form.control, name: "applicationIds" });
  const roles = useController({ control: form.control, name: "roleIds" });
  const groups = useController({ control: form.control, name: "groupIds" });
  const options = {
    onSuccess: async (saved: TRoleTemplate) => {
      await queryClient.invalidateQueries(trpc.roleTemplates.pathFilter());
      form.reset(defaultsOf(template ? saved : undefined));
      onDone(template ? `Saved the template “${saved.name}”.` : `Created the template “${saved.name}”.`);
    },
    onError: (error: unknown) => {
      if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: (error as Error).message });
    },
  };
  const create = useMutation(trpc.roleTemplates.create.mutationOptions(options));
  const update = useMutation(trpc.roleTemplates.update.mutationOptions(options));
  const { errors } = form.formState;
  const leaveDialog = useUnsavedChangesGuard(form.formState.isDirty);

  return (
    <form
      noValidate
      aria-label={template ? `Edit “${template.name}”` : "New template"}
      className="space-y-4"
      onSubmit={form.handleSubmit((values) => {
        const { templateId: _templateId, ...fields } = values;
        if (template) update.mutate({ ...fields, templateId: template.id });
        else create.mutate(fields);
      })}
    >
      <div className="grid gap-3 md:grid-cols-[minmax(12rem,1fr)_minmax(14rem,2fr)]">
        <Field id={`${id}-name`} label="Name" autoComplete="off" hint="e.g. Backend engineer" error={errors.name?.message} {...form.register("name")} />
        <Field id={`${id}-description`} label="Description (optional)" autoComplete="off" error={errors.description?.message} {...form.register("description")} />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <DepartmentChecklist
          query={catalogue.departments}
          value={departments.field.value}
          onChange={(ids) => departments.field.onChange(ids)}
          error={errors.departmentIds?.message}
        />
        <Checklist
          legend="Applications"
          what="applications"
          query={catalogue.applications}
          value={applications.field.value}
          onChange={applications.field.onChange}
          error={errors.applicationIds?.message}
          empty={<>No applications yet. <CatalogueLink href="/console/apps">Create them on the Apps page</CatalogueLink>.</>}
        />
        <Checklist
          legend="Roles"
          what="roles"
          query={catalogue.roles}
          value={roles.field.value}
          onChange={roles.field.onChange}
          error={errors.roleIds?.message}
          empty={<>No roles yet. <CatalogueLink href="/console/roles?tab=roles">Create them on the Roles tab</CatalogueLink>.</>}
        />
        <Checklist
          legend="Groups"
          what="groups"
          query={catalogue.groups}
          value={groups.field.value}
          onChange={groups.field.onChange}
          error={errors.groupIds?.message}
          empty={<>No groups yet. <CatalogueLink href="/console/roles?tab=groups">Create them on the Groups tab</CatalogueLink>.</>}
        />
      </div>
      <FormActions label={template ? "Save" : "Create template"} pendingLabel="Saving…" pending={create.isPending || update.isPending} onCancel={onCancel} />
      {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
      {leaveDialog}
    </form>
  );
}
