"use client";

import { useId, type ReactNode } from "react";
import { CatalogueState, type TListQuery } from "@/components/role-templates/catalogue-state";

type TItem = { id: string; name: string; description?: string | null };

/** Chooses any number of a catalogue's items (applications, roles, groups) as checkboxes. */
export function ItemChecklist({
  legend,
  what,
  query,
  value,
  onChange,
  empty,
  error,
}: {
  legend: string;
  what: string;
  query: TListQuery<TItem>;
  value: readonly string[];
  onChange: (ids: string[]) => void;
  empty: ReactNode;
  error?: string;
}) {
  const id = useId();
  const chosen = new Set(value);
  const toggle = (itemId: string, checked: boolean) => {
    const next = new Set(chosen);
    if (checked) next.add(itemId);
    else next.delete(itemId);
    onChange([...next]);
  };
  return (
    <fieldset className="space-y-2" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      <CatalogueState query={query} what={what} empty={empty}>
        {(items) => (
          <ul className="grid gap-1 sm:grid-cols-2">
            {items.map((item) => (
              <li key={item.id} className="flex items-start gap-2 text-sm">
                <input
                  id={`${id}-${item.id}`}
                  type="checkbox"
                  className="mt-0.5 size-4 accent-brand-600"
                  checked={chosen.has(item.id)}
                  onChange={(event) => toggle(item.id, event.target.checked)}
                />
                <label htmlFor={`${id}-${item.id}`}>
                  <span className="text-slate-900">{item.name}</span>
                  {item.description ? <span className="block text-xs text-slate-500">{item.description}</span> : null}
                </label>
              </li>
            ))}
          </ul>
        )}
      </CatalogueState>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
