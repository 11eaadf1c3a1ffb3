"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { useTRPC } from "@/components/trpc/client";

/**
 * After a migration import: members the source system had disabled were imported as members; the admin may
 * disable them here through the lifecycle (receipts, sessions ended), in one click.
 */
export function DisableFromSourceOffer({ importId, sourceName, count }: { importId: string; sourceName: string; count: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { requireStepUp, stepUpDialog } = useStepUp();
  const disable = useMutation(
    trpc.imports.disableFromSource.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.imports.get.queryFilter({ importId })) }),
  );
  const run = () => disable.mutate({ importId }, { onError: (error) => void requireStepUp(error, run) });
  if (disable.data) {
    return (
      <SuccessStatus
        message={`${disable.data.disabled.toLocaleString("en")} disabled${disable.data.refused.length > 0 ? `; ${disable.data.refused.length} could not be: ${disable.data.refused[0]!.message}` : ""}.`}
      />
    );
  }
  if (count === 0) return null;
  return (
    <div className="space-y-2 rounded-md border border-amber-200 bg-amber-50 p-4 text-sm">
      {stepUpDialog}
      <p>
        {count.toLocaleString("en")} imported {count === 1 ? "member was" : "members were"} disabled in {sourceName}. They were imported as members; disable them
        here too, with a lifecycle receipt for each?
      </p>
      <button type="button" className={SECONDARY_BUTTON} disabled={disable.isPending} onClick={run}>
        {disable.isPending ? "Disabling…" : `Disable ${count.toLocaleString("en")} ${count === 1 ? "member that was" : "members that were"} disabled in ${sourceName}`}
      </button>
      {disable.error && !isStepUpRequired(disable.error) ? <FormAlert>They could not be disabled: {disable.error.message}</FormAlert> : null}
    </div>
  );
}
