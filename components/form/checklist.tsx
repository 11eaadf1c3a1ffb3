"use client";

import { useId, type ReactNode } from "react";
import { ListState, type TQueryStatus } from "@/components/list/list-state";

/** One choice: `depth` indents it under its parent (a tree), `description` explains it. */
export type TChecklistOption = { id: string; name: string; description?: string | null; depth?: number };

/**
 * Chooses any number of a loaded list's options as checkboxes (departments,
 * applications, roles, groups; in the onboarding wizard and in role
 * templates). With `main`, a "Main" radio beside each chosen option picks one
 * of them: the first chosen by default, the next one when it is unticked.
 */
export function Checklist<TData>({
  legend,
  what,
  query,
  options,
  value,
  onChange,
  empty,
  error,
  main,
}: {
  legend: string;
  /** "applications": in "Loading applications…". */
  what: string;
  query: TQueryStatus<TData>;
  /** The options in the query's data, when the data is not the list of options itself. */
  options?: (data: TData) => TChecklistOption[];
  value: readonly string[];
  onChange: (ids: string[], mainId: string | null) => void;
  empty: ReactNode;
  error?: string;
  /** `label`: the radio's name before the option's ("Main department": "Main department: Sales"). */
  main?: { label: string; value: string | null; error?: string };
}) {
  const id = useId();
  const chosen = new Set(value);
  const toggle = (optionId: string, checked: boolean) => {
    const next = checked ? [...value.filter((other) => other !== optionId), optionId] : value.filter((other) => other !== optionId);
    const currentMain = main?.value ?? null;
    onChange(next, currentMain !== null && next.includes(currentMain) ? currentMain : (next[0] ?? null));
  };
  const describedBy = [error ? `${id}-error` : null, main?.error ? `${id}-main-error` : null].filter(Boolean).join(" ") || undefined;
  const select = options ?? ((data: TData) => data as TChecklistOption[]);
  return (
    <fieldset className="space-y-2" aria-describedby={describedBy}>
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      <ListState query={query} loading={`Loading ${what}…`} failure={`The ${what} could not be loaded`} empty={empty} select={select}>
        {(rows) => {
          const tree = rows.some((row) => row.depth !== undefined);
          return (
            <ul className={tree ? "divide-y divide-slate-100 rounded-md border border-slate-200" : "grid gap-1 sm:grid-cols-2"}>
              {rows.map((row) => (
                <li
                  key={row.id}
                  className={tree ? "flex items-center gap-3 px-3 py-1.5 text-sm" : "flex items-start gap-2 text-sm"}
                  style={tree ? { paddingLeft: `${0.75 + (row.depth ?? 0) * 1.25}rem` } : undefined}
                >
                  <input
                    id={`${id}-${row.id}`}
                    type="checkbox"
                    className="mt-0.5 size-4 accent-brand-600"
                    checked={chosen.has(row.id)}
                    onChange={(event) => toggle(row.id, event.target.checked)}
                  />
                  <label htmlFor={`${id}-${row.id}`} className="flex-1">
                    <span className="text-slate-900">{row.name}</span>
                    {row.description ? <span className="block text-xs text-slate-500">{row.description}</span> : null}
                  </label>
                  {main && chosen.has(row.id) ? (
                    <label className="flex items-center gap-1.5 text-xs text-slate-600">
                      <input
                        type="radio"
                        name={`${id}-main`}
                        aria-label={`${main.label}: ${row.name}`}
                        className="size-3.5 accent-brand-600"
                        checked={main.value === row.id}
                        onChange={() => onChange([...value], row.id)}
                      />
                      Main
                    </label>
                  ) : null}
                </li>
              ))}
            </ul>
          );
        }}
      </ListState>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
      {main?.error ? (
        <p id={`${id}-main-error`} role="alert" className="text-sm text-red-600">
          {main.error}
        </p>
      ) : null}
    </fieldset>
  );
}
