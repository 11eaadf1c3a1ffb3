"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { useAccessChangeConfirm } from "@/components/access/use-access-change-confirm";
import { FormAlert } from "@/components/form/field";
import { FormActions } from "@/components/form/form-actions";
import { SelectField } from "@/components/form/select-field";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { departmentOptions } from "@/components/members/department-options";
import { QueryStatus } from "@/components/list/list-state";
import { useTRPC, useTRPCClient } from "@/components/trpc/client";
import { ZMemberTransfer } from "@/server/org/schemas";

type TValues = z.input<typeof ZMemberTransfer>;
type TOutput = z.output<typeof ZMemberTransfer>;

/**
 * Transfers the member out of one of their departments into another: first
 * the preview of who gains and loses what (the transfer's own code, rolled
 * back on the server), then the transfer once the admin confirms.
 */
export function TransferDepartmentForm({
  memberId,
  memberName,
  from,
  onDone,
  onCancel,
}: {
  memberId: string;
  memberName: string;
  from: { id: string; name: string };
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const id = useId();
  const tree = useQuery(trpc.departments.tree.queryOptions());
  const form = useForm<TValues, unknown, TOutput>({
    resolver: zodResolver(ZMemberTransfer),
    defaultValues: { memberId, fromDepartmentId: from.id, toDepartmentId: "" },
  });
  const showError = (error: unknown) => {
    if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: (error as Error).message });
  };
  const transfer = useMutation(trpc.departments.transferMember.mutationOptions({ onError: showError }));
  const { confirmAccessChange, confirmDialog, previewing } = useAccessChangeConfirm();

  if (tree.isPending || tree.isError) return <QueryStatus query={tree} loading="Loading departments…" failure="The departments could not be loaded" />;
  const options = departmentOptions(tree.data).filter((option) => option.kind === "regular" && option.value !== from.id);

  const submit = async (values: TOutput) => {
    const label = options.find((option) => option.value === values.toDepartmentId)?.label ?? "the department";
    let confirmed: boolean;
    try {
      confirmed = await confirmAccessChange({
        title: `Transfer ${memberName} from “${from.name}” to “${label}”?`,
        confirmLabel: "Transfer",
        preview: () => client.departments.previewTransferMember.mutate(values),
      });
    } catch (error) {
      return showError(error);
    }
    if (!confirmed) return;
    transfer.mutate(values, { onSuccess: () => onDone(`Transferred from “${from.name}” to “${label}”.`) });
  };

  return (
    <form noValidate aria-label={`Transfer from ${from.name}`} className="space-y-3" onSubmit={form.handleSubmit(submit)}>
      <SelectField
        id={`${id}-department`}
        label="Transfer to"
        emptyOption="Choose a department…"
        options={options}
        hint={`The member leaves “${from.name}” and joins this one. You will see whose access changes before anything is changed.`}
        error={form.formState.errors.toDepartmentId?.message}
        {...form.register("toDepartmentId")}
      />
      {previewing ? (
        <p role="status" className="text-xs text-slate-600">
          Working out whose access changes…
        </p>
      ) : null}
      <FormActions label="Transfer…" pendingLabel="Transferring…" pending={transfer.isPending} onCancel={onCancel} />
      {form.formState.errors.root?.message ? <FormAlert>Nothing was changed: {form.formState.errors.root.message}</FormAlert> : null}
      {confirmDialog}
    </form>
  );
}
