"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { RoleTemplateForm } from "@/components/role-templates/role-template-form";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import type { TRoleTemplate } from "@/server/role-templates/list-role-templates";

const SETS = [
  { key: "departments", label: "Departments" },
  { key: "applications", label: "Applications" },
  { key: "roles", label: "Roles" },
  { key: "groups", label: "Groups" },
] as const;

function TemplateSummary({ template }: { template: TRoleTemplate }) {
  return (
    <dl className="grid gap-x-4 gap-y-1 text-xs sm:grid-cols-[7rem_1fr]">
      {SETS.map((set) => (
        <div key={set.key} className="contents">
          <dt className="text-slate-500">{set.label}</dt>
          <dd className="text-slate-800" data-testid={`template-${set.key}`}>
            {template[set.key].length === 0 ? <span className="italic text-slate-600">None</span> : template[set.key].map((item) => item.name).join(", ")}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The Roles page's Templates tab: role templates pre-fill steps 2-4 of the
 * onboarding wizard. A create form, then every template with inline Edit and Delete.
 */
export function RoleTemplatesTab() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const headingId = useId();
  const templates = useQuery(trpc.roleTemplates.list.queryOptions());
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { askConfirmation, confirmDialog } = useConfirm();
  const remove = useMutation(
    trpc.roleTemplates.delete.mutationOptions({
      onSettled: async () => {
        await queryClient.invalidateQueries(trpc.roleTemplates.pathFilter());
      },
    }),
  );
  const done = (message: string) => {
    setEditing(null);
    setNotice(message);
  };

  const list = (
    <ListState
      query={templates}
      loading="Loading templates…"
      failure="The templates could not be loaded"
      empty="No templates yet. Create the first one above; the onboarding wizard can then start from it."
    >
      {(rows) => (
      <ul aria-label="Templates" className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {rows.map((template) => (
          <li key={template.id} aria-label={template.name} className="space-y-2 px-4 py-3 text-sm">
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <span className="font-medium text-slate-900">{template.name}</span>
              <span className="ml-auto flex gap-3 text-xs">
                <button
                  type="button"
                  className="text-brand-700 hover:underline"
                  onClick={() => {
                    setNotice(null);
                    remove.reset();
                    setEditing(template.id);
                  }}
                >
                  Edit
                  <span className="sr-only"> {template.name}</span>
                </button>
                <button
                  type="button"
                  className="text-red-700 hover:underline disabled:opacity-60"
                  disabled={remove.isPending}
                  onClick={async () => {
                    setNotice(null);
                    setEditing(null);
                    const confirmed = await askConfirmation({
                      title: `Delete the template “${template.name}”?`,
                      message: "Members onboarded with it keep what they were given.",
                      confirmLabel: "Delete template",
                      destructive: true,
                    });
                    if (!confirmed) return;
                    remove.mutate({ templateId: template.id }, { onSuccess: () => setNotice(`Deleted the template “${template.name}”.`) });
                  }}
                >
                  Delete
                  <span className="sr-only"> {template.name}</span>
                </button>
              </span>
            </div>
            {template.description ? <p className="text-slate-600">{template.description}</p> : null}
            <TemplateSummary template={template} />
            {editing === template.id ? (
              <div className="rounded-md border border-slate-200 bg-slate-50 p-3">
                <RoleTemplateForm template={template} onDone={done} onCancel={() => setEditing(null)} />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      )}
    </ListState>
  );

  return (
    <div className="space-y-4">
      <section aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id={headingId} className="mb-1 text-sm font-semibold text-slate-900">
          New template
        </h2>
        <p className="mb-3 text-xs text-slate-500">A template is a predefined set of departments, applications, roles and groups: “Start from a template” in the onboarding wizard pre-fills them.</p>
        <RoleTemplateForm onDone={done} />
      </section>
      <SuccessStatus message={notice} />
      {remove.isError ? <FormAlert>{remove.error.message}</FormAlert> : null}
      {list}
      {confirmDialog}
    </div>
  );
}
