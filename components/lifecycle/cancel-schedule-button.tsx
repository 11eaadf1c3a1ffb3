"use client";

import { useMutation } from "@tanstack/react-query";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { useTRPC } from "@/components/trpc/client";

const SCHEDULES = {
  leave: { label: "Cancel scheduled leave", done: "The scheduled resignation is cancelled." },
  lock: { label: "Cancel scheduled lock", done: "The scheduled lock is cancelled." },
} as const;

/** Cancels a scheduled resignation or lock: the member stays as they are and the job is cancelled. */
export function CancelScheduleButton({ schedule, memberId, onDone }: { schedule: keyof typeof SCHEDULES; memberId: string; onDone: (message: string) => Promise<void> | void }) {
  const trpc = useTRPC();
  const onSuccess = () => onDone(SCHEDULES[schedule].done);
  const leave = useMutation(trpc.lifecycle.cancelLeave.mutationOptions({ onSuccess }));
  const lock = useMutation(trpc.lifecycle.cancelLock.mutationOptions({ onSuccess }));
  const cancel = schedule === "leave" ? leave : lock;
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button type="button" className={SECONDARY_BUTTON} disabled={cancel.isPending} onClick={() => cancel.mutate({ memberId })}>
        {cancel.isPending ? "Cancelling…" : SCHEDULES[schedule].label}
      </button>
      {cancel.error ? (
        <span role="alert" className="text-sm text-red-700">
          {cancel.error.message}
        </span>
      ) : null}
    </span>
  );
}
