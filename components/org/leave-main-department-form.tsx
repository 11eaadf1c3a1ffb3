"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useId } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { FormAlert } from "@/components/form/field";
import { FormActions } from "@/components/form/form-actions";
import { SelectField } from "@/components/form/select-field";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { useTRPC } from "@/components/trpc/client";
import { ZDepartmentLeave } from "@/server/org/schemas";

type TValues = z.input<typeof ZDepartmentLeave>;
type TOutput = z.output<typeof ZDepartmentLeave>;

/** Leaving the main department while others remain: the new main one is chosen in the same step. */
export function LeaveMainDepartmentForm({
  memberId,
  department,
  remaining,
  onDone,
  onCancel,
}: {
  memberId: string;
  department: { id: string; name: string };
  remaining: readonly { id: string; name: string }[];
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const id = useId();
  const form = useForm<TValues, unknown, TOutput>({
    resolver: zodResolver(ZDepartmentLeave),
    defaultValues: { memberId, departmentId: department.id, newMainDepartmentId: remaining.length === 1 ? remaining[0]!.id : "" },
  });
  const leave = useMutation(
    trpc.departments.leave.mutationOptions({
      onError: (error) => {
        if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: error.message });
      },
    }),
  );
  return (
    <form
      noValidate
      aria-label={`Leave ${department.name}`}
      className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3"
      onSubmit={form.handleSubmit((values) => {
        const newMain = remaining.find((candidate) => candidate.id === values.newMainDepartmentId)?.name ?? "the chosen department";
        leave.mutate(values, { onSuccess: () => onDone(`Left “${department.name}”; “${newMain}” is now the main department.`) });
      })}
    >
      <p className="text-sm text-slate-700">“{department.name}” is the main department. Choose the one that takes its place.</p>
      <SelectField
        id={`${id}-new-main`}
        label="New main department"
        emptyOption="Choose a department…"
        options={remaining.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
        error={form.formState.errors.newMainDepartmentId?.message}
        {...form.register("newMainDepartmentId")}
      />
      <FormActions label={`Leave ${department.name}`} pendingLabel="Leaving…" pending={leave.isPending} onCancel={onCancel} />
      {form.formState.errors.root?.message ? <FormAlert>{form.formState.errors.root.message}</FormAlert> : null}
    </form>
  );
}
