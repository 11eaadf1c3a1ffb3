"use client";

import Link from "next/link";
import { Checklist, type TChecklistOption } from "@/components/form/checklist";
import type { TQueryStatus } from "@/components/list/list-state";
import type { TDepartmentNode } from "@/server/org/list-department-tree";

/** The tree in order, indented by depth, without the Departed department (members reach it by resigning). */
function rowsOf(roots: readonly TDepartmentNode[]): TChecklistOption[] {
  const rows: TChecklistOption[] = [];
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
  query: TQueryStatus<readonly TDepartmentNode[]>;
  value: readonly string[];
  onChange: (ids: string[], mainId: string | null) => void;
  main?: { value: string | null; error?: string };
  error?: string;
}) {
  return (
    <Checklist
      legend="Departments"
      what="departments"
      query={query}
      options={rowsOf}
      value={value}
      onChange={onChange}
      main={main ? { label: "Main department", ...main } : undefined}
      error={error}
      empty={
          <>
            No departments yet.{" "}
            <Link href="/console/departments" className="font-medium text-brand-700 underline">
              Create them on the Departments page
            </Link>
            .
          </>
      }
    />
  );
}
