"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useId } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Field, FormAlert } from "@/components/form/field";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { useHydrated } from "@/components/form/use-hydrated";
import { DANGER_BUTTON } from "@/components/lifecycle/danger-button";
import { ModalDialog } from "@/components/lifecycle/modal-dialog";
import { useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { ZHardDeleteInput } from "@/server/lifecycle/schemas";

type TInput = z.input<typeof ZHardDeleteInput>;
type TOutput = z.output<typeof ZHardDeleteInput>;

/**
 * "Delete permanently": from any state or from the recycle bin, skipping the
 * grace period. The admin types the username; the server checks it too.
 */
export function HardDeleteDialog({
  member,
  onClose,
  onErased,
}: {
  member: { id: string; fullName: string; username: string };
  onClose: () => void;
  onErased: () => void;
}) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const id = useId();
  const form = useForm<TInput, unknown, TOutput>({
    resolver: zodResolver(ZHardDeleteInput),
    defaultValues: { memberId: member.id, confirmUsername: "" },
  });
  const { requireStepUp, stepUpDialog } = useStepUp();
  const erase = useMutation(
    trpc.lifecycle.hardDelete.mutationOptions({
      onSuccess: onErased,
      onError: (error, values) => {
        // Permanent deletion asks for a recent step-up: confirm, then the same deletion again.
        if (requireStepUp(error, () => erase.mutate(values))) return;
        if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: error.message });
      },
    }),
  );
  const { errors } = form.formState;
  return (
    <ModalDialog title={`Delete ${member.fullName} permanently?`} busy={erase.isPending} onClose={onClose}>
      <form noValidate className="space-y-4" onSubmit={form.handleSubmit((values) => erase.mutate(values))}>
        <p className="text-sm text-slate-700">
          This erases the member now, without the recycle bin&apos;s grace period: their record, authorisations, departments, roles, groups,
          sessions and mail. The audit trail keeps only that a member was erased.{" "}
          <strong className="font-semibold text-red-800">This cannot be undone.</strong>
        </p>
        <Field
          id={`${id}-confirm`}
          label={`Type ${member.username} to confirm`}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          error={errors.confirmUsername?.message}
          {...form.register("confirmUsername")}
        />
        {errors.root?.message ? <FormAlert>Nothing was deleted: {errors.root.message}</FormAlert> : null}
        <div className="flex flex-wrap gap-2">
          <button type="submit" disabled={!hydrated || erase.isPending} className={DANGER_BUTTON}>
            {erase.isPending ? "Deleting…" : "Delete permanently"}
          </button>
          <button type="button" disabled={erase.isPending} onClick={onClose} className={SECONDARY_BUTTON}>
            Cancel
          </button>
        </div>
      </form>
      {stepUpDialog}
    </ModalDialog>
  );
}
