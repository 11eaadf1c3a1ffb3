"use client";

import Link from "next/link";
import { SelectField } from "@/components/form/select-field";
import { useHydrated } from "@/components/form/use-hydrated";
import type { TDepartmentOption } from "@/components/members/department-options";
import { ROLE_OPTIONS, type TRole } from "@/components/members/member-labels";
import { orderOptions, SORT_OPTIONS, SOURCE_OPTIONS, STATUS_OPTIONS } from "@/components/members/member-list-labels";
import {
  isCustomised,
  MEMBER_LIST_PATH,
  type TMemberListFilters,
  type TMemberSort,
  type TMemberSource,
  type TMemberStatus,
  type TSortOrder,
} from "@/components/members/member-list-params";
import { MemberSearchBox } from "@/components/members/member-search-box";

/** "Clear filters": the plain list, as a link (it is an address like any other view of the list). */
export function ClearFiltersLink() {
  return (
    <Link href={MEMBER_LIST_PATH} scroll={false} className="text-sm font-medium text-brand-700 hover:underline">
      Clear filters
    </Link>
  );
}

/**
 * The filter bar above the member list: search, department (sub-departments
 * included; Departed lists resigned members), status, role, source, sort and
 * order. Every change goes to the URL through `onChange`.
 */
export function MemberListFilters({
  filters,
  departments,
  departmentsUnavailable,
  onChange,
}: {
  filters: TMemberListFilters;
  /** Every department, Departed included, in tree order. */
  departments: readonly TDepartmentOption[];
  /** The department tree could not be loaded: the department filter says so. */
  departmentsUnavailable: boolean;
  onChange: (changes: Partial<TMemberListFilters>) => void;
}) {
  // Before React runs, a change would be lost: the controls wait for it.
  const hydrated = useHydrated();
  const select = <T extends string>(value: string): T | null => (value === "" ? null : (value as T));
  return (
    <form
      role="search"
      aria-label="Filter members"
      noValidate
      onSubmit={(event) => event.preventDefault()}
      className="grid grid-cols-2 items-start gap-3 rounded-lg border border-slate-200 bg-white p-4 lg:grid-cols-6"
    >
      <div className="col-span-2 lg:col-span-3">
        <MemberSearchBox id="member-search" value={filters.q} disabled={!hydrated} onCommit={(q) => onChange({ q })} />
      </div>
      <div className="col-span-2 lg:col-span-3">
        <SelectField
          id="member-filter-department"
          label="Filter by department"
          emptyOption="All departments"
          options={departments}
          value={filters.department ?? ""}
          disabled={!hydrated}
          hint={departmentsUnavailable ? "The departments could not be loaded." : "Includes sub-departments."}
          onChange={(event) => onChange({ department: select<string>(event.target.value) })}
        />
      </div>
      <SelectField
        id="member-filter-status"
        label="Status"
        emptyOption="Any status"
        options={STATUS_OPTIONS}
        value={filters.status ?? ""}
        disabled={!hydrated}
        onChange={(event) => onChange({ status: select<TMemberStatus>(event.target.value) })}
      />
      <SelectField
        id="member-filter-role"
        label="Role"
        emptyOption="Any role"
        options={ROLE_OPTIONS}
        value={filters.role ?? ""}
        disabled={!hydrated}
        onChange={(event) => onChange({ role: select<TRole>(event.target.value) })}
      />
      <SelectField
        id="member-filter-source"
        label="Source"
        emptyOption="Any source"
        options={SOURCE_OPTIONS}
        value={filters.source ?? ""}
        disabled={!hydrated}
        onChange={(event) => onChange({ source: select<TMemberSource>(event.target.value) })}
      />
      <SelectField
        id="member-sort"
        label="Sort by"
        options={SORT_OPTIONS}
        value={filters.sort}
        disabled={!hydrated}
        onChange={(event) => onChange({ sort: event.target.value as TMemberSort })}
      />
      <SelectField
        id="member-order"
        label="Order"
        options={orderOptions(filters.sort)}
        value={filters.order}
        disabled={!hydrated}
        onChange={(event) => onChange({ order: event.target.value as TSortOrder })}
      />
      {isCustomised(filters) ? (
        <div className="flex h-full items-end justify-end pb-2">
          <ClearFiltersLink />
        </div>
      ) : null}
    </form>
  );
}
