"use client";

import { useCallback, useRef, useState, type ReactNode } from "react";
import type { TAccessChanges } from "@/server/access-changes/access-changes";
import { AccessChangeSummary } from "@/components/access/access-change-preview";
import { useConfirm, type TConfirmRequest } from "@/components/lifecycle/use-confirm";

export type TAccessChangeRequest = TConfirmRequest & {
  /** The action's preview procedure: its own code, run on the server and rolled back. */
  preview: () => Promise<TAccessChanges>;
  /** Ask even when no one's access changes (an action that needs confirming anyway). */
  askWhenUnchanged?: boolean;
};

/**
 * Asks the server what an access change would do, then shows it in the
 * console's confirmation before anything changes. When no one's access
 * changes there is nothing to weigh: it resolves true without asking (unless
 * `askWhenUnchanged`).
 * A failed preview rejects with the server's error (the action would fail the
 * same way), for the caller to show where it shows the action's errors.
 */
export function useAccessChangeConfirm() {
  const { askConfirmation, confirmDialog } = useConfirm();
  const [previewing, setPreviewing] = useState(false);
  // A second click while the first preview runs must not ask twice.
  const running = useRef(false);

  const confirmAccessChange = useCallback(
    async ({ preview, askWhenUnchanged = false, message, ...request }: TAccessChangeRequest): Promise<boolean> => {
      if (running.current) return false;
      running.current = true;
      setPreviewing(true);
      let changes: TAccessChanges;
      try {
        changes = await preview();
      } finally {
        running.current = false;
        setPreviewing(false);
      }
      if (changes.affected === 0 && !askWhenUnchanged) return true;
      const summary: ReactNode = (
        <>
          {message ? <div>{message}</div> : null}
          <AccessChangeSummary changes={changes} />
        </>
      );
      return askConfirmation({ ...request, message: summary });
    },
    [askConfirmation],
  );
  return { confirmAccessChange, confirmDialog, previewing };
}
