"use client";

import Link from "next/link";
import { useId } from "react";
import { CatalogueState, type TListQuery } from "@/components/role-templates/catalogue-state";
import type { TDepartmentNode } from "@/server/org/list-department-tree";

type TRow = { id: string; name: string; depth: number };

/** The tree in order, indented by depth, without the Departed department (members reach it by resigning). */
function rowsOf(roots: readonly TDepartmentNode[]): TRow[] {
  const rows: TRow[] = [];
  const walk = (nodes: readonly TDepartmentNode[], depth: number) => {
    for (const node of nodes) {
      if (node.kind === "departed") continue;
      rows.push({ id: node.id, name: node.name, depth });
      walk(node.children, depth + 1);
    }
  };
  walk(roots, 0);
  return rows;
}

/** Department ids in tree order (how the chosen ones are listed back). */
export function departmentNames(roots: readonly TDepartmentNode[] | undefined): Map<string, string> {
  return new Map(rowsOf(roots ?? []).map((row) => [row.id, row.name]));
}

/**
 * Chooses departments from the tree as checkboxes; with `main`, also which of
 * the chosen ones is the main department (the first one chosen, unless changed).
 */
export function DepartmentChecklist({
  query,
  value,
  onChange,
  main,
  error,
}: {
  query: TListQuery<TDepartmentNode>;
  value: readonly string[];
  onChange: (ids: string[], mainId: string | null) => void;
  main?: { value: string | null; error?: string };
  error?: string;
}) {
  const id = useId();
  const chosen = new Set(value);
  const toggle = (departmentId: string, checked: boolean) => {
    const next = checked ? [...value, departmentId] : value.filter((other) => other !== departmentId);
    // The main department stays one of the chosen: the first chosen by default, the next one when it is unticked.
    const currentMain = main?.value ?? null;
    const nextMain = currentMain !== null && next.includes(currentMain) ? currentMain : (next[0] ?? null);
    onChange(next, nextMain);
  };
  const describedBy = [error ? `${id}-error` : null, main?.error ? `${id}-main-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className="space-y-2" aria-describedby={describedBy}>
      <legend className="text-sm font-medium text-slate-700">Departments</legend>
      <CatalogueState
        query={query}
        what="departments"
        empty={
          <>
            No departments yet.{" "}
            <Link href="/console/departments" className="font-medium text-brand-700 underline">
              Create them on the Departments page
            </Link>
            .
          </>
        }
      >
        {(roots) => {
          const rows = rowsOf(roots);
          if (rows.length === 0) return <p className="text-sm text-slate-600">No departments to choose yet (only Departed exists).</p>;
          return (
            <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
              {rows.map((row) => (
                <li key={row.id} className="flex items-center gap-3 px-3 py-1.5 text-sm" style={{ paddingLeft: `${0.75 + row.depth * 1.25}rem` }}>
                  <input
                    id={`${id}-${row.id}`}
                    type="checkbox"
                    className="size-4 accent-brand-600"
                    checked={chosen.has(row.id)}
                    onChange={(event) => toggle(row.id, event.target.checked)}
                  />
                  <label htmlFor={`${id}-${row.id}`} className="flex-1 text-slate-900">
                    {row.name}
                  </label>
                  {main && chosen.has(row.id) ? (
                    <label className="flex items-center gap-1.5 text-xs text-slate-600">
                      <input
                        type="radio"
                        name={`${id}-main`}
                        aria-label={`Main department: ${row.name}`}
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
      </CatalogueState>
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
