import type { ReactNode } from "react";

export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    // Below `sm` the actions go under the title and wrap, so neither is squeezed off a phone's screen.
    <header className="mb-6 flex flex-col items-start gap-4 sm:flex-row sm:justify-between">
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      </div>
      {actions}
    </header>
  );
}

/** The honest state of a console section whose feature has not landed yet. */
export function NotBuiltYet({ feature, plannedIn }: { feature: string; plannedIn: string }) {
  return (
    <section className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">
      <p className="text-base font-medium text-slate-800">{feature} are not built yet.</p>
      <p className="mt-1 text-sm text-slate-600">They arrive with {plannedIn}. Nothing on this page is pretend.</p>
    </section>
  );
}
