"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useMemo, useState } from "react";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { SuccessStatus } from "@/components/form/success-status";
import { cellKey, cellText } from "@/components/access/matrix-cells";
import { MatrixCellDialog } from "@/components/access/matrix-cell-dialog";
import { useGrantChange } from "@/components/access/use-grant-change";
import { EmptyList, QueryStatus } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import type { TMatrixCell, TMatrixDepartment, TMatrixRole } from "@/server/access/inheritance-matrix";

/** Roles shown side by side: at 500 roles the table would be 500 columns wide; the filter and pages find the rest. */
const ROLES_PER_PAGE = 12;

type TOpenCell = { department: TMatrixDepartment; role: TMatrixRole } | null;

function cellClass(cell: TMatrixCell | undefined): string {
  if (cell?.direct) return "bg-brand-50 font-medium text-brand-800";
  if (cell) return "bg-slate-100 text-slate-700";
  return "text-slate-500";
}

/**
 * Departments (in tree order) × roles: each cell says whether the role is
 * granted there (and whether it reaches everything below) or inherited from an
 * ancestor's subtree grant. Every cell opens its choices; every choice shows
 * the preview before it is applied.
 */
export function InheritanceMatrix() {
  const trpc = useTRPC();
  const filterId = useId();
  const departmentFilterId = useId();
  const matrix = useQuery({ ...trpc.accessGrants.matrix.queryOptions(), refetchOnMount: "always" });
  const [filter, setFilter] = useState("");
  const [departmentFilter, setDepartmentFilter] = useState("");
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState<TOpenCell>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { openChange, grantChangeDialog } = useGrantChange({ onDone: setNotice });

  const lookups = useMemo(() => {
    const cells = new Map<string, TMatrixCell>();
    for (const cell of matrix.data?.cells ?? []) cells.set(cellKey(cell.departmentId, cell.roleId), cell);
    const names = new Map((matrix.data?.departments ?? []).map((department) => [department.id, department.name]));
    return { cells, nameOf: (id: string) => names.get(id) ?? "a removed department" };
  }, [matrix.data]);

  if (matrix.isPending || matrix.isError) return <QueryStatus query={matrix} loading="Loading the matrix…" failure="The matrix could not be loaded" />;
  const { departments, roles } = matrix.data;
  if (departments.length === 0 || roles.length === 0) {
    return (
      <EmptyList>
        {departments.length === 0 ? "No departments yet. " : "No roles yet. "}
        <Link className="font-medium text-brand-700 underline" href={departments.length === 0 ? "/console/departments" : "/console/roles?tab=roles"}>
          {departments.length === 0 ? "Create departments" : "Create roles"}
        </Link>
      </EmptyList>
    );
  }

  const wanted = filter.trim().toLowerCase();
  const matching = wanted ? roles.filter((role) => role.name.toLowerCase().includes(wanted)) : roles;
  const pages = Math.max(1, Math.ceil(matching.length / ROLES_PER_PAGE));
  const shownPage = Math.min(page, pages - 1);
  const shown = matching.slice(shownPage * ROLES_PER_PAGE, (shownPage + 1) * ROLES_PER_PAGE);
  // A department matches by its path, so "platform" keeps Platform and everything under it, in tree order.
  const wantedDepartment = departmentFilter.trim().toLowerCase();
  const shownDepartments = wantedDepartment ? departments.filter((department) => department.path.join(" / ").toLowerCase().includes(wantedDepartment)) : departments;
  const openCell = open ? lookups.cells.get(cellKey(open.department.id, open.role.id)) : undefined;

  return (
    <div className="space-y-4">
      <SuccessStatus message={notice} />
      <div className="flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <label htmlFor={filterId} className="block text-sm font-medium text-slate-700">
            Find roles
          </label>
          <input
            id={filterId}
            type="search"
            value={filter}
            onChange={(event) => {
              setFilter(event.target.value);
              setPage(0);
            }}
            className="block w-64 max-w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm outline-none focus:ring-2 focus:ring-brand-600"
          />
        </div>
        <div className="space-y-1">
          <label htmlFor={departmentFilterId} className="block text-sm font-medium text-slate-700">
            Find departments
          </label>
          <input
            id={departmentFilterId}
            type="search"
            value={departmentFilter}
            onChange={(event) => setDepartmentFilter(event.target.value)}
            className="block w-64 max-w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm outline-none focus:ring-2 focus:ring-brand-600"
          />
        </div>
        <p className="text-sm text-slate-600" aria-live="polite">
          {matching.length === 0
            ? "No role matches."
            : `Roles ${(shownPage * ROLES_PER_PAGE + 1).toLocaleString("en")}–${(shownPage * ROLES_PER_PAGE + shown.length).toLocaleString("en")} of ${matching.length.toLocaleString("en")}`}
        </p>
        {pages > 1 ? (
          <div className="flex gap-2">
            <button type="button" className={SECONDARY_BUTTON} disabled={shownPage === 0} onClick={() => setPage(shownPage - 1)}>
              Previous roles
            </button>
            <button type="button" className={SECONDARY_BUTTON} disabled={shownPage >= pages - 1} onClick={() => setPage(shownPage + 1)}>
              Next roles
            </button>
          </div>
        ) : null}
      </div>
      <p className="text-xs text-slate-600">
        <span className="rounded bg-brand-50 px-1 font-medium text-brand-800">Granted here</span> the department’s own grant;{" "}
        <span className="rounded bg-brand-50 px-1 font-medium text-brand-800">Here and below</span> its grant reaching every department under it;{" "}
        <span className="rounded bg-slate-100 px-1 text-slate-700">From …</span> inherited from an ancestor’s grant. Choose a cell to change it.
      </p>
      {shownDepartments.length === 0 ? <EmptyList inline>No department matches.</EmptyList> : null}
      {shown.length > 0 && shownDepartments.length > 0 ? (
        <div role="region" aria-label="Inheritance matrix, scrolls both ways" tabIndex={0} className="max-h-[70vh] max-w-full overflow-auto rounded-lg border border-slate-200 bg-white">
          <table className="border-separate border-spacing-0 text-xs">
            <caption className="sr-only">Departments down, roles across; each cell says whether the role is granted there, reaches it from above, or not at all</caption>
            <thead>
              <tr>
                <th scope="col" className="sticky left-0 top-0 z-20 border-b border-r border-slate-200 bg-slate-50 px-2 py-2 text-left font-semibold text-slate-700">
                  Department
                </th>
                {shown.map((role) => (
                  <th key={role.id} scope="col" className="sticky top-0 z-10 min-w-28 max-w-40 border-b border-slate-200 bg-slate-50 px-2 py-2 text-left font-semibold break-words text-slate-700">
                    {role.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shownDepartments.map((department) => (
                <tr key={department.id}>
                  <th
                    scope="row"
                    title={department.path.join(" / ")}
                    className="sticky left-0 z-10 max-w-48 border-b border-r border-slate-200 bg-white px-2 py-1 text-left font-medium break-words text-slate-900"
                    style={{ paddingLeft: `${0.5 + department.depth * 0.75}rem` }}
                  >
                    {department.name}
                    {department.depth > 0 ? <span className="sr-only">, in {department.path.slice(0, -1).join(" / ")}</span> : null}
                  </th>
                  {shown.map((role) => {
                    const cell = lookups.cells.get(cellKey(department.id, role.id));
                    const text = cellText(cell, lookups.nameOf);
                    return (
                      <td key={role.id} className="border-b border-slate-100 p-0.5">
                        <button
                          type="button"
                          data-cell={`${department.id}:${role.id}`}
                          aria-label={`${role.name} in ${department.name}: ${text || "not granted"}. Change`}
                          className={`block min-h-8 w-full rounded px-1.5 py-1 text-left hover:ring-2 hover:ring-brand-600 ${cellClass(cell)}`}
                          onClick={() => {
                            setNotice(null);
                            setOpen({ department, role });
                          }}
                        >
                          {text || <span aria-hidden="true">–</span>}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {open ? (
        <MatrixCellDialog
          department={open.department}
          role={open.role}
          cell={openCell}
          state={cellText(openCell, lookups.nameOf)}
          onClose={() => setOpen(null)}
          onChoose={(request) => {
            setOpen(null);
            openChange(request);
          }}
        />
      ) : null}
      {grantChangeDialog}
    </div>
  );
}
