import type { ReactNode } from "react";

/**
 * The console's one way to confirm that an action worked: a sentence beside
 * the action, in a polite live region that is always in the page, so screen
 * readers announce the sentence when it appears (a region inserted together
 * with its text is often not announced). Errors stay FormAlert (role=alert).
 */
export function SuccessStatus({ message, children }: { message: ReactNode; children?: ReactNode }) {
  return (
    <div role="status" aria-live="polite" aria-atomic="true" className={message ? undefined : "sr-only"}>
      {message ? (
        <div className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {message}
          {children}
        </div>
      ) : null}
    </div>
  );
}
