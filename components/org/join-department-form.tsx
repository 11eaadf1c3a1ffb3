"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { FormAlert } from "@/components/form/field";
import { FormActions } from "@/components/form/form-actions";
import { SelectField } from "@/components/form/select-field";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { departmentOptions } from "@/components/members/department-options";
import { QueryStatus } from "@/components/list/list-state";
import { useAccessChangeConfirm } from "@/components/access/use-access-change-confirm";
import { useTRPC, useTRPCClient } from "@/components/trpc/client";
import { ZDepartmentJoin } from "@/server/org/schemas";

type TValues = z.input<typeof ZDepartmentJoin>;
type TOutput = z.output<typeof ZDepartmentJoin>;

/** Adds the member to one more department, chosen from the tree (Departed and their own left out). */
export function JoinDepartmentForm({
  memberId,
  heldIds,
  hasMain,
  onDone,
  onCancel,
}: {
  memberId: string;
  heldIds: readonly string[];
  /** Without a main department, the one joined becomes main anyway: no need to ask. */
  hasMain: boolean;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const id = useId();
  // Joining brings the department's (and its ancestors' subtree) grants: whose access changes is shown first.
  const { confirmAccessChange, confirmDialog } = useAccessChangeConfirm();
  const tree = useQuery(trpc.departments.tree.queryOptions());
  const form = useForm<TValues, unknown, TOutput>({ resolver: zodResolver(ZDepartmentJoin), defaultValues: { memberId, departmentId: "", main: false } });
  const showError = (error: unknown) => {
    if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: (error as Error).message });
  };
  const join = useMutation(trpc.departments.join.mutationOptions({ onError: showError }));

  if (tree.isPending || tree.isError) return <QueryStatus query={tree} loading="Loading departments…" failure="The departments could not be loaded" />;
  const held = new Set(heldIds);
  const options = departmentOptions(tree.data).filter((option) => option.kind === "regular" && !held.has(option.value));
  if (options.length === 0) {
    return (
      <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
        <p>
          {held.size === 0 ? "No departments exist yet." : "This member is in every department."}{" "}
          <Link href="/console/departments" className="font-medium text-brand-700 underline">
            Manage departments
          </Link>
        </p>
        <button type="button" onClick={onCancel} className="text-xs text-brand-700 hover:underline">
          Close
        </button>
      </div>
    );
  }

  return (
    <form
      noValidate
      aria-label="Add to a department"
      className="space-y-3"
      onSubmit={form.handleSubmit(async (values) => {
        const label = options.find((option) => option.value === values.departmentId)?.label ?? "the department";
        try {
          const confirmed = await confirmAccessChange({
            title: `Add the member to “${label}”?`,
            confirmLabel: "Add",
            preview: () => client.departments.previewJoin.mutate(values),
          });
          if (!confirmed) return;
        } catch (error) {
          return showError(error);
        }
        join.mutate(values, {
          onSuccess: (result) => onDone(result.main ? `Added to “${label}” as the main department.` : `Added to “${label}”.`),
        });
      })}
    >
      <SelectField
        id={`${id}-department`}
        label="Department to join"
        emptyOption="Choose a department…"
        options={options}
        error={form.formState.errors.departmentId?.message}
        {...form.register("departmentId")}
      />
      {hasMain ? (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" className="h-4 w-4 rounded border-slate-300" {...form.register("main")} />
          Make it the main department
        </label>
      ) : (
        <p className="text-xs text-slate-500">The member has no main department: this one becomes it.</p>
      )}
      <FormActions label="Add" pendingLabel="Adding…" pending={join.isPending} onCancel={onCancel} />
      {form.formState.errors.root?.message ? <FormAlert>{form.formState.errors.root.message}</FormAlert> : null}
      {confirmDialog}
    </form>
  );
}
