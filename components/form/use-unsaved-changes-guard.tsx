"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { ModalDialog } from "@/components/lifecycle/modal-dialog";

const DEFAULT_MESSAGE = "What you typed here is not saved yet. If you leave this page, it is lost.";

/** The same-origin page a click on this link would open in this tab, or null when the click is not a navigation away. */
function pageLeftBy(event: MouseEvent): string | null {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
  const link = event.target instanceof Element ? event.target.closest<HTMLAnchorElement>("a[href]") : null;
  if (!link || link.hasAttribute("download") || (link.target && link.target !== "_self")) return null;
  const url = new URL(link.href, window.location.href);
  if (url.origin !== window.location.origin) return null;
  // A link to a place on this same page (the skip link, #anchors) leaves nothing.
  if (url.pathname === window.location.pathname && url.search === window.location.search) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Warns before an admin leaves a form with unsaved entries: the browser's own
 * prompt on reload, close or a typed address (`beforeunload`), and a console
 * dialog on a click of any link of the page (the app router has no
 * route-change event to cancel, so link clicks are caught first, in the
 * capture phase, before next/link navigates). Render the returned element.
 * Programmatic navigation (router.push after a successful save) is not held up.
 */
export function useUnsavedChangesGuard(isDirty: boolean, message: string = DEFAULT_MESSAGE): ReactNode {
  const router = useRouter();
  const [leavingTo, setLeavingTo] = useState<string | null>(null);

  useEffect(() => {
    if (!isDirty) return;
    const warnOnUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = "";
    };
    const holdLinkClick = (event: MouseEvent) => {
      const destination = pageLeftBy(event);
      if (!destination) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      setLeavingTo(destination);
    };
    window.addEventListener("beforeunload", warnOnUnload);
    document.addEventListener("click", holdLinkClick, true);
    return () => {
      window.removeEventListener("beforeunload", warnOnUnload);
      document.removeEventListener("click", holdLinkClick, true);
    };
  }, [isDirty]);

  if (leavingTo === null) return null;
  return (
    <ModalDialog title="Leave without saving?" onClose={() => setLeavingTo(null)}>
      <p className="text-sm text-slate-700">{message}</p>
      <div className="mt-5 flex flex-wrap justify-end gap-3">
        <button type="button" className={SECONDARY_BUTTON} data-autofocus onClick={() => setLeavingTo(null)}>
          Stay on this page
        </button>
        <button
          type="button"
          className={PRIMARY_BUTTON}
          onClick={() => {
            const destination = leavingTo;
            setLeavingTo(null);
            router.push(destination);
          }}
        >
          Leave this page
        </button>
      </div>
    </ModalDialog>
  );
}
