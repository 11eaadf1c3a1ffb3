"use client";

import { useEffect, useRef, type RefObject } from "react";

const opensHere = (event: MouseEvent) => event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;

/**
 * True from the moment the person starts leaving `pathname` (a click on a link to another page, Back or Forward)
 * until the page changes or they type on this page again. A client-side navigation takes a moment to commit: a
 * debounced update of this page's URL that fires in that moment must not start a later navigation that wins
 * and pulls them back (issue 11: a quick click on a search result was swallowed).
 */
export function useLeavingPage(pathname: string): RefObject<boolean> {
  const leaving = useRef(false);
  useEffect(() => {
    leaving.current = false;
    const leavesFor = (href: string) => {
      const url = new URL(href, window.location.href);
      return url.origin === window.location.origin && url.pathname !== pathname;
    };
    const onClick = (event: MouseEvent) => {
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!(link instanceof HTMLAnchorElement) || !opensHere(event) || (link.target && link.target !== "_self")) return;
      if (leavesFor(link.href)) leaving.current = true;
    };
    const onPopState = () => {
      if (window.location.pathname !== pathname) leaving.current = true;
    };
    // Typing again means they stayed (a navigation can be cancelled, e.g. by an unsaved-changes prompt).
    const onInput = () => {
      leaving.current = false;
    };
    document.addEventListener("click", onClick, true);
    document.addEventListener("input", onInput, true);
    window.addEventListener("popstate", onPopState);
    return () => {
      document.removeEventListener("click", onClick, true);
      document.removeEventListener("input", onInput, true);
      window.removeEventListener("popstate", onPopState);
    };
  }, [pathname]);
  return leaving;
}
