import type { ReactNode } from "react";

/**
 * A box whose content scrolls inside it (a wide table on a phone, a long list, a raw payload). It is a named
 * region that takes focus, so the keyboard can scroll it even when nothing inside is focusable (WCAG 2.1.1;
 * axe's scrollable-region-focusable). `className` carries the overflow and the frame.
 */
export function ScrollRegion({ label, className, children }: { label: string; className: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={className}>
      {children}
    </div>
  );
}
