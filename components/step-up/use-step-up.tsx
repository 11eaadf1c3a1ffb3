"use client";

import { useCallback, useState, type ReactNode } from "react";
import { StepUpDialog, type TStepUpConfirm } from "@/components/step-up/step-up-dialog";

/** True for an API error that asks for a step-up (data.stepUpRequired, server/trpc/init.ts). */
export function isStepUpRequired(error: unknown): boolean {
  return (error as { data?: { stepUpRequired?: unknown } } | null | undefined)?.data?.stepUpRequired === true;
}

/**
 * For a form whose mutation may be refused until the member confirms it is
 * them: `requireStepUp(error, retry)` returns true (and opens the dialog) when
 * that was the refusal; once confirmed, `retry` sends the same change again.
 * Render `stepUpDialog` anywhere in the component.
 */
export function useStepUp(options: { confirm?: TStepUpConfirm } = {}): {
  requireStepUp: (error: unknown, retry: () => void) => boolean;
  /** For a refusal already known to be one (a server action's result): open the dialog, then `retry`. */
  askStepUp: (retry: () => void) => void;
  stepUpDialog: ReactNode;
} {
  const [retry, setRetry] = useState<(() => void) | null>(null);
  const requireStepUp = useCallback((error: unknown, again: () => void) => {
    if (!isStepUpRequired(error)) return false;
    setRetry(() => again);
    return true;
  }, []);
  const askStepUp = useCallback((again: () => void) => setRetry(() => again), []);
  const stepUpDialog = retry ? (
    <StepUpDialog
      confirm={options.confirm}
      onClose={() => setRetry(null)}
      onConfirmed={() => {
        setRetry(null);
        retry();
      }}
    />
  ) : null;
  return { requireStepUp, askStepUp, stepUpDialog };
}
