import Link from "next/link";
import type { ReactNode } from "react";

/** A panel of the status overview: a titled section (its heading names it for assistive technology). */
export function StatusPanel({ id, title, actions, children }: { id: string; title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
          {title}
        </h2>
        {actions}
      </div>
      <div className="mt-3">{children}</div>
    </section>
  );
}

/** One number with what it counts; `href` opens the filtered list behind it, where the console has one. */
export function StatusCount({ testId, label, value, detail, href }: { testId: string; label: string; value: number | string; detail?: ReactNode; href?: string }) {
  const shown = typeof value === "number" ? value.toLocaleString("en") : value;
  return (
    <div className="min-w-0">
      <p className="text-sm text-slate-600">{label}</p>
      <p className="mt-1 text-3xl font-semibold tabular-nums" data-testid={`status-${testId}`}>
        {href ? (
          <Link href={href} className="text-brand-700 underline-offset-4 hover:underline">
            {shown}
            <span className="sr-only">: {label.toLowerCase()}, open the list</span>
          </Link>
        ) : (
          shown
        )}
      </p>
      {detail ? <p className="mt-1 text-xs text-slate-600">{detail}</p> : null}
    </div>
  );
}
