"use client";

import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { SECONDARY_BUTTON, PRIMARY_BUTTON } from "@/components/form/button-styles";
import { DANGER_BUTTON } from "@/components/lifecycle/danger-button";
import { ModalDialog } from "@/components/lifecycle/modal-dialog";

// The console's own "are you sure?" (issue 11 item 10), instead of the
// browser's window.confirm(): it looks like the rest of the console, names the
// consequence, marks a destructive answer as such, keeps focus inside
// (ModalDialog's showModal), cancels on Escape and gives the focus back to
// the button that asked. tests/unit/no-native-dialogs.test.ts keeps the
// native dialogs out of app/ and components/.

export type TConfirmRequest = {
  /** The question, as the dialog's title: "End all of Ada's sessions?" */
  title: string;
  /** What happens next, in a sentence or two. */
  message?: ReactNode;
  /** The confirming button's words: "End all sessions", never "OK". */
  confirmLabel: string;
  /** Takes something away: the confirming button is red and the focus starts on Cancel. */
  destructive?: boolean;
};

type TOpenRequest = TConfirmRequest & { answer: (confirmed: boolean) => void };

/**
 * `const { askConfirmation, confirmDialog } = useConfirm()`: `await askConfirmation({...})`
 * resolves true when the person confirms, false when they cancel or press
 * Escape. Render `confirmDialog` anywhere in the component.
 */
export function useConfirm(): { askConfirmation: (request: TConfirmRequest) => Promise<boolean>; confirmDialog: ReactNode } {
  const [open, setOpen] = useState<TOpenRequest | null>(null);
  const trigger = useRef<HTMLElement | null>(null);
  const [returnFocus, setReturnFocus] = useState(0);

  const askConfirmation = useCallback((request: TConfirmRequest) => {
    trigger.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return new Promise<boolean>((resolve) => {
      setOpen({
        ...request,
        answer: (confirmed) => {
          setOpen(null);
          setReturnFocus((count) => count + 1);
          resolve(confirmed);
        },
      });
    });
  }, []);

  // After the dialog has gone (the page behind is no longer inert): back to the button that asked, if it is still there.
  useEffect(() => {
    if (returnFocus === 0) return;
    const element = trigger.current;
    trigger.current = null;
    if (element?.isConnected) element.focus();
  }, [returnFocus]);

  const confirmDialog = open ? <ConfirmDialog request={open} /> : null;
  return { askConfirmation, confirmDialog };
}

function ConfirmDialog({ request }: { request: TOpenRequest }) {
  const messageId = useId();
  const { title, message, confirmLabel, destructive = false, answer } = request;
  return (
    <ModalDialog title={title} describedBy={message ? messageId : undefined} role={destructive ? "alertdialog" : undefined} onClose={() => answer(false)}>
      {message ? (
        <div id={messageId} className="mb-4 space-y-2 text-sm text-slate-700">
          {message}
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button type="button" data-autofocus={destructive ? undefined : true} onClick={() => answer(true)} className={destructive ? DANGER_BUTTON : PRIMARY_BUTTON}>
          {confirmLabel}
        </button>
        <button type="button" data-autofocus={destructive ? true : undefined} onClick={() => answer(false)} className={SECONDARY_BUTTON}>
          Cancel
        </button>
      </div>
    </ModalDialog>
  );
}
