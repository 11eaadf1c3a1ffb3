"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import { useUnsavedChangesGuard } from "@/components/form/use-unsaved-changes-guard";
import { z } from "zod";
import { Field, FormAlert } from "@/components/form/field";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { useTRPC } from "@/components/trpc/client";
import { ZDepartmentName } from "@/server/org/schemas";

const ZNameForm = z.object({ name: ZDepartmentName });
type TNameForm = z.input<typeof ZNameForm>;

const buttonClass = "rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-60";
const secondaryClass = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100";

/** Creates a department (at the top, or under `parentId`) or renames `departmentId`. */
export function DepartmentNameForm({
  mode,
  parentId,
  departmentId,
  initialName = "",
  onDone,
  onCancel,
}: {
  mode: "create" | "rename";
  parentId?: string | null;
  departmentId?: string;
  initialName?: string;
  onDone: (message: string) => void;
  onCancel?: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Several of these forms can be open at once: each input needs its own id for its label.
  const inputId = useId();
  const form = useForm<TNameForm>({ resolver: zodResolver(ZNameForm), defaultValues: { name: initialName } });
  const options = {
    onSuccess: async (department: { name: string }) => {
      await queryClient.invalidateQueries({ queryKey: trpc.departments.tree.queryKey() });
      form.reset({ name: mode === "create" ? "" : department.name });
      onDone(mode === "create" ? `Created “${department.name}”.` : `Renamed to “${department.name}”.`);
    },
    onError: (error: unknown) => {
      if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: (error as Error).message });
    },
  };
  const create = useMutation(trpc.departments.create.mutationOptions(options));
  const rename = useMutation(trpc.departments.rename.mutationOptions(options));
  const pending = create.isPending || rename.isPending;
  const label = mode === "create" ? (parentId ? "Sub-department name" : "New department name") : "New name";
  const leaveDialog = useUnsavedChangesGuard(form.formState.isDirty);

  return (
    <form
      noValidate
      className="flex flex-wrap items-end gap-2"
      onSubmit={form.handleSubmit(({ name }) =>
        mode === "create" ? create.mutate({ name, parentId: parentId ?? null }) : rename.mutate({ departmentId: departmentId!, name }),
      )}
    >
      <div className="min-w-64">
        <Field id={inputId} label={label} error={form.formState.errors.name?.message} {...form.register("name")} />
      </div>
      <button type="submit" disabled={pending} className={buttonClass}>
        {pending ? "Saving…" : mode === "create" ? "Create" : "Rename"}
      </button>
      {onCancel ? (
        <button type="button" onClick={onCancel} className={secondaryClass}>
          Cancel
        </button>
      ) : null}
      {form.formState.errors.root?.message ? <FormAlert>{form.formState.errors.root.message}</FormAlert> : null}
      {leaveDialog}
    </form>
  );
}

/** Asks, with the preview of whose access changes, before a department moves; false: the admin cancelled. */
export type TConfirmMove = (move: { departmentId: string; newParentId: string | null }, place: string) => Promise<boolean>;

/** Moves a department (with its subtree) under another one, or to the top, once the admin has seen whose access changes. */
export function MoveDepartmentForm({
  departmentId,
  targets,
  confirmMove,
  onDone,
  onCancel,
}: {
  departmentId: string;
  targets: { id: string; label: string }[];
  confirmMove: TConfirmMove;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [previewFailure, setPreviewFailure] = useState<string | null>(null);
  const move = useMutation(
    trpc.departments.move.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.departments.tree.queryKey() });
        onDone("Moved.");
      },
    }),
  );
  const selectId = `move-${departmentId}`;
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={async (event) => {
        event.preventDefault();
        const value = new FormData(event.currentTarget).get("newParentId");
        const newParentId = typeof value === "string" && value ? value : null;
        const place = newParentId ? `under “${targets.find((target) => target.id === newParentId)?.label ?? "the department"}”` : "to the top level";
        setPreviewFailure(null);
        move.reset();
        try {
          if (!(await confirmMove({ departmentId, newParentId }, place))) return;
        } catch (error) {
          return setPreviewFailure((error as Error).message);
        }
        move.mutate({ departmentId, newParentId });
      }}
    >
      <div className="space-y-1">
        <label htmlFor={selectId} className="block text-sm font-medium text-slate-700">
          Move under
        </label>
        <select id={selectId} name="newParentId" className="block rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
          <option value="">(top level)</option>
          {targets.map((target) => (
            <option key={target.id} value={target.id}>
              {target.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={move.isPending} className={buttonClass}>
        {move.isPending ? "Moving…" : "Move"}
      </button>
      <button type="button" onClick={onCancel} className={secondaryClass}>
        Cancel
      </button>
      {move.isError ? <FormAlert>{move.error.message}</FormAlert> : null}
      {previewFailure ? <FormAlert>{previewFailure}</FormAlert> : null}
    </form>
  );
}
