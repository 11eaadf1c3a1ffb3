"use client";

import { useMutation } from "@tanstack/react-query";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { useTRPC } from "@/components/trpc/client";

/** Cancels a scheduled resignation: the member stays and the job is cancelled. */
export function CancelLeaveButton({ memberId, onDone }: { memberId: string; onDone: (message: string) => Promise<void> | void }) {
  const trpc = useTRPC();
  const cancel = useMutation(trpc.lifecycle.cancelLeave.mutationOptions({ onSuccess: () => onDone("The scheduled resignation is cancelled.") }));
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button type="button" className={SECONDARY_BUTTON} disabled={cancel.isPending} onClick={() => cancel.mutate({ memberId })}>
        {cancel.isPending ? "Cancelling…" : "Cancel scheduled leave"}
      </button>
      {cancel.error ? (
        <span role="alert" className="text-sm text-red-700">
          {cancel.error.message}
        </span>
      ) : null}
    </span>
  );
}
