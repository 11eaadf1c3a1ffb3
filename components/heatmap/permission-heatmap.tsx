"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { EmptyList, QueryStatus } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import { CellHoldersPanel, type TOpenCell } from "@/components/heatmap/cell-holders-panel";
import { HeatmapGrid, type TGridCell, type TGridLabel } from "@/components/heatmap/heatmap-grid";
import { HeatmapLegend } from "@/components/heatmap/heatmap-legend";
import { bandOf, EMPTY_FILL, formatShare, plural } from "@/components/heatmap/heatmap-scale";
import type { TDepartmentHeatmap } from "@/server/heatmap/load-department-heatmap";
import { unpackCellNumbers } from "@/server/heatmap/packed-cells";
import type { TRoleHeatmap } from "@/server/heatmap/load-role-heatmap";

type TRowSort = "tree" | "name" | "members" | "held";
type TColumnSort = "permission" | "holders";

const INPUT = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:ring-2 focus:ring-brand-600";

/** Console → Permission heatmap: departments × permissions (share of members holding each), or roles × permissions. */
export function PermissionHeatmap() {
  const [view, setView] = useState<"departments" | "roles">("departments");
  const [text, setText] = useState("");
  const [subtree, setSubtree] = useState("");
  const [rowSort, setRowSort] = useState<TRowSort>("tree");
  const [columnSort, setColumnSort] = useState<TColumnSort>("permission");
  const [open, setOpen] = useState<TOpenCell | null>(null);
  const ids = { text: useId(), subtree: useId(), rows: useId(), columns: useId() };
  const trpc = useTRPC();
  const departments = useQuery({ ...trpc.heatmap.departments.queryOptions({}), enabled: view === "departments" });
  const roles = useQuery({ ...trpc.heatmap.roles.queryOptions(), enabled: view === "roles" });

  return (
    <div className="space-y-4">
      <fieldset className="flex flex-wrap gap-2">
        <legend className="sr-only">Rows</legend>
        {(["departments", "roles"] as const).map((option) => (
          <label key={option} className={`cursor-pointer rounded-md border px-3 py-1.5 text-sm font-medium has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-600 ${view === option ? "border-brand-600 bg-brand-50 text-brand-700" : "border-slate-300 bg-white text-slate-700"}`}>
            <input type="radio" name="heatmap-view" value={option} checked={view === option} onChange={() => { setView(option); setOpen(null); }} className="sr-only" />
            {option === "departments" ? "Departments × permissions" : "Roles × permissions"}
          </label>
        ))}
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <div className="space-y-1">
          <label htmlFor={ids.text} className="block text-sm font-medium text-slate-700">Permission contains</label>
          <input id={ids.text} type="search" value={text} onChange={(event) => setText(event.target.value)} placeholder="e.g. repo:" className={INPUT} />
        </div>
        {view === "departments" && departments.data ? (
          <>
            <div className="space-y-1">
              <label htmlFor={ids.subtree} className="block text-sm font-medium text-slate-700">Department and its subtree</label>
              <select id={ids.subtree} value={subtree} onChange={(event) => setSubtree(event.target.value)} className={INPUT}>
                <option value="">All departments</option>
                {departments.data.departments.map((department) => (
                  <option key={department.id} value={department.id}>{department.path.join(" / ")}</option>
                ))}
              </select>
            </div>
            <div className="space-y-1">
              <label htmlFor={ids.rows} className="block text-sm font-medium text-slate-700">Sort departments</label>
              <select id={ids.rows} value={rowSort} onChange={(event) => setRowSort(event.target.value as TRowSort)} className={INPUT}>
                <option value="tree">As in the tree</option>
                <option value="name">By name</option>
                <option value="members">Most members first</option>
                <option value="held">Most permissions held first</option>
              </select>
            </div>
          </>
        ) : null}
        <div className="space-y-1">
          <label htmlFor={ids.columns} className="block text-sm font-medium text-slate-700">Sort permissions</label>
          <select id={ids.columns} value={columnSort} onChange={(event) => setColumnSort(event.target.value as TColumnSort)} className={INPUT}>
            <option value="permission">By permission</option>
            <option value="holders">{view === "departments" ? "Most holders first" : "Carried by most roles first"}</option>
          </select>
        </div>
      </div>
      {view === "departments" ? (
        departments.isPending || departments.isError ? (
          <QueryStatus query={departments} loading="Loading the heatmap…" failure="The heatmap could not be loaded" />
        ) : (
          <DepartmentView data={departments.data} text={text} subtree={subtree} rowSort={rowSort} columnSort={columnSort} open={open} onOpen={setOpen} />
        )
      ) : roles.isPending || roles.isError ? (
        <QueryStatus query={roles} loading="Loading the roles…" failure="The roles could not be loaded" />
      ) : (
        <RoleView data={roles.data} text={text} columnSort={columnSort} />
      )}
    </div>
  );
}

const matches = (text: string) => {
  const wanted = text.trim().toLowerCase();
  return (policy: { permission: string; name: string }) => wanted === "" || policy.permission.includes(wanted) || policy.name.toLowerCase().includes(wanted);
};

function DepartmentView({
  data,
  text,
  subtree,
  rowSort,
  columnSort,
  open,
  onOpen,
}: {
  data: TDepartmentHeatmap;
  text: string;
  subtree: string;
  rowSort: TRowSort;
  columnSort: TColumnSort;
  open: TOpenCell | null;
  onOpen: (cell: TOpenCell | null) => void;
}) {
  const columnCount = data.permissions.length;
  // Dense lookups (a few MB at 1,000 × 2,000): a visible cell's value is one array read.
  const grid = useMemo(() => {
    const numbers = unpackCellNumbers(data.cells);
    const holders = new Int32Array(data.departments.length * columnCount);
    const outlier = new Uint8Array(data.departments.length * columnCount);
    const outliers: [number, number, number][] = [];
    for (let index = 0; index + 3 < numbers.length; index += 4) {
      const at = numbers[index]! * columnCount + numbers[index + 1]!;
      holders[at] = numbers[index + 2]!;
      if (numbers[index + 3] === 1) {
        outlier[at] = 1;
        outliers.push([numbers[index]!, numbers[index + 1]!, numbers[index + 2]!]);
      }
    }
    return { numbers, holders, outlier, outliers };
  }, [data.cells, data.departments.length, columnCount]);

  const rowOrder = useMemo(() => {
    let indices = data.departments.map((_, index) => index);
    if (subtree) {
      const inside = new Set([subtree]);
      // Tree order lists a parent before its children, so one pass finds the subtree.
      for (const department of data.departments) if (department.parentId && inside.has(department.parentId)) inside.add(department.id);
      indices = indices.filter((index) => inside.has(data.departments[index]!.id));
    }
    const department = (index: number) => data.departments[index]!;
    if (rowSort === "name") indices.sort((a, b) => department(a).name.localeCompare(department(b).name));
    if (rowSort === "members") indices.sort((a, b) => department(b).members - department(a).members);
    if (rowSort === "held") indices.sort((a, b) => department(b).permissionsHeld - department(a).permissionsHeld);
    return indices;
  }, [data.departments, subtree, rowSort]);

  const columnOrder = useMemo(() => {
    const wanted = matches(text);
    const indices = data.permissions.map((_, index) => index).filter((index) => wanted(data.permissions[index]!));
    if (columnSort === "holders") {
      const shown = new Set(rowOrder);
      const totals = new Array<number>(columnCount).fill(0);
      const { numbers } = grid;
      for (let index = 0; index + 3 < numbers.length; index += 4) if (shown.has(numbers[index]!)) totals[numbers[index + 1]!]! += numbers[index + 2]!;
      indices.sort((a, b) => totals[b]! - totals[a]!);
    }
    return indices;
  }, [data.permissions, grid, text, columnSort, rowOrder, columnCount]);

  const describe = (row: number, column: number) => {
    const department = data.departments[rowOrder[row]!]!;
    const policy = data.permissions[columnOrder[column]!]!;
    const at = rowOrder[row]! * columnCount + columnOrder[column]!;
    const holders = grid.holders[at]!;
    const share = department.members > 0 ? holders / department.members : holders > 0 ? 1 : 0;
    return { department, policy, holders, share, outlier: grid.outlier[at] === 1 };
  };
  const summaryOf = (described: ReturnType<typeof describe>) =>
    `${described.holders.toLocaleString("en")} of ${plural(described.department.members, "member")} (${formatShare(described.share)})`;

  const cellAt = (row: number, column: number): TGridCell => {
    const described = describe(row, column);
    const band = bandOf(described.share);
    return {
      fill: described.holders > 0 ? band.fill : EMPTY_FILL,
      text: band.text,
      // The percent in brackets, as in the cell's name ("3 of 40 members (8%)"): what is seen is what is said.
      lines: described.holders > 0 ? [described.holders.toLocaleString("en"), `(${formatShare(described.share)})`] : [],
      outlier: described.outlier,
      name: `${described.department.path.join(" / ")}, ${described.policy.permission}: ${summaryOf(described)}${described.outlier ? ", outlier" : ""}`,
    };
  };
  const openCell = (row: number, column: number) => {
    const described = describe(row, column);
    onOpen({
      departmentId: described.department.id,
      departmentName: described.department.path.join(" / "),
      policyId: described.policy.id,
      permission: described.policy.permission,
      summary: `${summaryOf(described)} hold it${described.outlier ? ": an outlier (almost nobody else in the department holds it)" : ""}.`,
    });
  };

  const rows: TGridLabel[] = rowOrder.map((index) => {
    const department = data.departments[index]!;
    return {
      key: department.id,
      label: `${department.name} · ${department.members.toLocaleString("en")}`,
      title: `${department.path.join(" / ")}: ${plural(department.members, "member")} who can sign in, ${plural(department.permissionsHeld, "permission")} held, ${plural(department.holdings, "holding")}`,
      indent: rowSort === "tree" ? department.depth : 0,
    };
  });
  const columns: TGridLabel[] = columnOrder.map((index) => {
    const policy = data.permissions[index]!;
    return { key: policy.id, label: policy.permission, title: `${policy.permission} (${policy.name})` };
  });
  const outliers = grid.outliers;

  if (data.departments.length === 0 || data.permissions.length === 0) {
    return <EmptyList>{data.permissions.length === 0 ? "No permissions yet: create policies under Roles, then grant them." : "No departments yet."}</EmptyList>;
  }
  return (
    <div className="space-y-4">
      <HeatmapLegend outlierRule={data.outlierRule} />
      {rows.length === 0 || columns.length === 0 ? (
        <EmptyList>No permission matches “{text}”.</EmptyList>
      ) : (
        <HeatmapGrid label="Departments × permissions" rows={rows} columns={columns} cellAt={cellAt} onOpen={openCell} />
      )}
      {open ? <CellHoldersPanel key={`${open.departmentId}:${open.policyId}`} cell={open} onClose={() => onOpen(null)} /> : null}
      <details className="rounded-lg border border-slate-200 bg-white p-4">
        <summary className="cursor-pointer text-sm font-medium">Outliers: {plural(outliers.length, "cell")}</summary>
        {outliers.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No department has a permission that almost nobody in it holds.</p>
        ) : (
          <ul className="mt-2 space-y-1 text-sm">
            {outliers.slice(0, 200).map(([row, column, holders]) => {
              const department = data.departments[row]!;
              const policy = data.permissions[column]!;
              return (
                <li key={`${row}:${column}`}>
                  <button
                    type="button"
                    className="text-left text-brand-700 underline"
                    onClick={() =>
                      onOpen({
                        departmentId: department.id,
                        departmentName: department.path.join(" / "),
                        policyId: policy.id,
                        permission: policy.permission,
                        summary: `${holders} of ${plural(department.members, "member")} (${formatShare(holders / Math.max(department.members, 1))}) hold it: an outlier.`,
                      })
                    }
                  >
                    {department.path.join(" / ")} · {policy.permission}: {holders} of {plural(department.members, "member")}
                  </button>
                </li>
              );
            })}
            {outliers.length > 200 ? <li className="text-slate-600">And {plural(outliers.length - 200, "more cell")}: filter by department to see them.</li> : null}
          </ul>
        )}
      </details>
    </div>
  );
}

function RoleView({ data, text, columnSort }: { data: TRoleHeatmap; text: string; columnSort: TColumnSort }) {
  const columnCount = data.permissions.length;
  const carried = useMemo(() => new Set(data.cells.map(([row, column]) => row * columnCount + column)), [data.cells, columnCount]);
  const columnOrder = useMemo(() => {
    const wanted = matches(text);
    const indices = data.permissions.map((_, index) => index).filter((index) => wanted(data.permissions[index]!));
    if (columnSort === "holders") {
      const roles = new Array<number>(columnCount).fill(0);
      for (const [, column] of data.cells) roles[column]! += 1;
      indices.sort((a, b) => roles[b]! - roles[a]!);
    }
    return indices;
  }, [data.permissions, data.cells, text, columnSort, columnCount]);

  if (data.roles.length === 0 || data.permissions.length === 0) return <EmptyList>No roles or permissions yet: create them under Roles.</EmptyList>;
  const cellAt = (row: number, column: number): TGridCell => {
    const role = data.roles[row]!;
    const policy = data.permissions[columnOrder[column]!]!;
    const has = carried.has(row * columnCount + columnOrder[column]!);
    return {
      fill: has ? "#1e3a8a" : EMPTY_FILL,
      text: "#ffffff",
      lines: has ? ["✓"] : [],
      outlier: false,
      name: `${role.name}, ${policy.permission}: ${has ? `carried by the role, which ${plural(role.holders, "member")} hold` : "not carried"}`,
    };
  };
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">A filled cell (✓) means the role carries the permission; each role shows how many members hold it now.</p>
      {columnOrder.length === 0 ? (
        <EmptyList>No permission matches “{text}”.</EmptyList>
      ) : (
        <HeatmapGrid
          label="Roles × permissions"
          rows={data.roles.map((role) => ({ key: role.id, label: `${role.name} · ${role.holders.toLocaleString("en")}`, title: `${role.name}: ${plural(role.holders, "member")} hold it` }))}
          columns={columnOrder.map((index) => ({ key: data.permissions[index]!.id, label: data.permissions[index]!.permission, title: `${data.permissions[index]!.permission} (${data.permissions[index]!.name})` }))}
          cellAt={cellAt}
        />
      )}
    </div>
  );
}
