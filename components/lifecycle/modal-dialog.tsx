"use client";

import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from "react";

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Tab from the last control goes back to the first (Shift+Tab the other way):
 * showModal makes the page inert, but would still let Tab leave for the
 * browser's own toolbar, and a keyboard user would lose their place.
 */
function keepTabInside(event: KeyboardEvent<HTMLDialogElement>) {
  if (event.key !== "Tab" || event.defaultPrevented) return;
  const controls = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((control) => control.getClientRects().length > 0);
  const first = controls[0];
  const last = controls.at(-1);
  if (!first || !last) return;
  const target = event.shiftKey ? (document.activeElement === first ? last : null) : document.activeElement === last ? first : null;
  if (!target) return;
  event.preventDefault();
  target.focus();
}

/**
 * A modal confirmation built on the browser's <dialog> (showModal): focus is
 * kept inside (Tab wraps round), the page behind is inert, and Escape closes it, unless `busy`
 * (a request is running, whose answer the dialog is waiting to show).
 * The element marked `data-autofocus` gets the focus when it opens.
 */
export function ModalDialog({
  title,
  busy = false,
  onClose,
  children,
  wide = false,
  describedBy,
  role,
}: {
  title: string;
  /** The id of the text that says what the dialog is about (its accessible description). */
  describedBy?: string;
  /** "alertdialog" for a question about something that cannot be undone. */
  role?: "alertdialog";
  busy?: boolean;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
      // showModal focuses the first focusable element (React's autoFocus ran
      // while the dialog was still hidden): honour the one the content asks for.
      dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    }
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      role={role}
      onKeyDown={keepTabInside}
      onCancel={(event) => {
        // Escape: the dialog stays until React decides (it is removed by the caller).
        event.preventDefault();
        if (!busy) onClose();
      }}
      className={`m-auto w-full ${wide ? "max-w-3xl" : "max-w-xl"} rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40`}
    >
      <div className="max-h-[85vh] overflow-y-auto p-5">
        <h2 id={titleId} className="mb-3 text-lg font-semibold">
          {title}
        </h2>
        {children}
      </div>
    </dialog>
  );
}
