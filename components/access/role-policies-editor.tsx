"use client";

import { FormActions } from "@/components/form/form-actions";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId } from "react";
import { useController, useForm } from "react-hook-form";
import type { z } from "zod";
import { KIND_LABELS } from "@/components/access/access-kinds";
import { FormAlert } from "@/components/form/field";
import { useStepUp } from "@/components/step-up/use-step-up";
import { QueryStatus } from "@/components/list/list-state";
import { useAccessChangeConfirm } from "@/components/access/use-access-change-confirm";
import { useTRPC, useTRPCClient } from "@/components/trpc/client";
import { ZRolePolicies } from "@/server/access/schemas";

type TValues = z.input<typeof ZRolePolicies>;
type TOutput = z.output<typeof ZRolePolicies>;

export type TRoleWithPolicies = { id: string; name: string; policies: { id: string; name: string; permission: string }[] };

/** Chooses exactly which policies a role carries, from every policy of the organisation. */
export function RolePoliciesEditor({
  role,
  onDone,
  onCancel,
}: {
  role: TRoleWithPolicies;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const id = useId();
  // Taking a policy from a role takes it from every holder who has it by no other path: they are shown first.
  const { confirmAccessChange, confirmDialog } = useAccessChangeConfirm();
  const policies = useQuery(trpc.access.list.queryOptions({ kind: "policy" }));
  const form = useForm<TValues, unknown, TOutput>({
    resolver: zodResolver(ZRolePolicies),
    defaultValues: { roleId: role.id, policyIds: role.policies.map((policy) => policy.id) },
  });
  const { field } = useController({ control: form.control, name: "policyIds" });
  const { requireStepUp, stepUpDialog } = useStepUp();
  const save = useMutation(
    trpc.access.setRolePolicies.mutationOptions({
      onSuccess: async ({ policies: permissions }) => {
        await queryClient.invalidateQueries(trpc.access.pathFilter());
        onDone(
          permissions.length === 0
            ? `The role “${role.name}” now has no policies.`
            : `Saved the policies of “${role.name}”: ${permissions.join(", ")}.`,
        );
      },
      onError: async (error, values) => {
        // A role's policies ask for a recent step-up: confirm, then the same save again.
        if (requireStepUp(error, () => save.mutate(values))) return;
        form.setError("root", { message: error.message });
        // A policy (or the role) may have been deleted elsewhere: show what is there now.
        await queryClient.invalidateQueries(trpc.access.pathFilter());
      },
    }),
  );
  const legend = `Policies of “${role.name}”`;
  const selected = new Set(field.value);

  if (policies.isPending || policies.isError) {
    const close = (
      <button type="button" className="font-medium underline" onClick={onCancel}>
        Close
      </button>
    );
    return <QueryStatus query={policies} loading="Loading policies…" failure="The policies could not be loaded" actions={close} />;
  }

  return (
    <form
      noValidate
      aria-label={legend}
      className="space-y-3"
      onSubmit={form.handleSubmit(async (values) => {
        // Only policies still listed: one deleted elsewhere since the form opened has no checkbox left.
        const listed = new Set(policies.data.map((policy) => policy.id));
        const input = { ...values, policyIds: values.policyIds.filter((policyId) => listed.has(policyId)) };
        try {
          const confirmed = await confirmAccessChange({
            title: `Change the policies of “${role.name}”?`,
            confirmLabel: "Save policies",
            preview: () => client.access.previewRolePolicies.mutate(input),
          });
          if (!confirmed) return;
        } catch (error) {
          return form.setError("root", { message: (error as Error).message });
        }
        save.mutate(input);
      })}
    >
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">{legend}</legend>
        {policies.data.length === 0 ? (
          <p className="text-sm text-slate-600">
            No policies yet.{" "}
            <Link href={KIND_LABELS.policy.catalogPath} className="font-medium text-brand-700 underline">
              Create them on the Policies tab
            </Link>
            .
          </p>
        ) : (
          <ul className="grid gap-1 sm:grid-cols-2">
            {policies.data.map((policy) => {
              const inputId = `${id}-${policy.id}`;
              return (
                <li key={policy.id} className="flex items-start gap-2 text-sm">
                  <input
                    id={inputId}
                    type="checkbox"
                    className="mt-0.5 size-4 accent-brand-600"
                    checked={selected.has(policy.id)}
                    onChange={(event) => {
                      const next = new Set(selected);
                      if (event.target.checked) next.add(policy.id);
                      else next.delete(policy.id);
                      field.onChange([...next]);
                    }}
                  />
                  <label htmlFor={inputId}>
                    <code className="rounded bg-slate-100 px-1 py-0.5 text-xs text-slate-800">{policy.permission}</code>{" "}
                    <span className="text-slate-700">{policy.name}</span>
                  </label>
                </li>
              );
            })}
          </ul>
        )}
      </fieldset>
      <FormActions label="Save policies" pendingLabel="Saving…" pending={save.isPending} onCancel={onCancel} />
      {form.formState.errors.root?.message ? <FormAlert>{form.formState.errors.root.message}</FormAlert> : null}
      {form.formState.errors.policyIds?.message ? <FormAlert>{form.formState.errors.policyIds.message}</FormAlert> : null}
      {stepUpDialog}
      {confirmDialog}
    </form>
  );
}
