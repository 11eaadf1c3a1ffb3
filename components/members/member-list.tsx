"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { SuccessStatus } from "@/components/form/success-status";
import { BulkLifecycleActions, BulkLifecycleResult } from "@/components/lifecycle/bulk-lifecycle-actions";
import { MemberListViews } from "@/components/lifecycle/member-list-views";
import { BulkTransferBar } from "@/components/members/bulk-transfer-bar";
import { departmentOptions } from "@/components/members/department-options";
import { countMembers } from "@/components/members/member-list-labels";
import { ClearFiltersLink, MemberListFilters } from "@/components/members/member-list-filters";
import { hasActiveFilters, memberListQueryString } from "@/components/members/member-list-params";
import { MemberListTable } from "@/components/members/member-list-table";
import { useMemberListQuery } from "@/components/members/use-member-list-query";
import { useMemberListUrl } from "@/components/members/use-member-list-url";
import { EmptyList, LoadFailure, LoadMore, QueryStatus } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import type { TLifecycleActionOutcome } from "@/server/lifecycle/run-lifecycle-action";

const NO_IDS: ReadonlySet<string> = new Set();

/** Downloads of exactly what the filters select (streamed by /api/members/export, every export audited). */
function ExportLinks({ viewKey }: { viewKey: string }) {
  const href = (format: "csv" | "json") => `/api/members/export?format=${format}${viewKey ? `&${viewKey}` : ""}`;
  return (
    <p className="flex gap-3 text-sm">
      <span className="text-slate-600">Export these members:</span>
      <a href={href("csv")} download className="font-medium text-brand-700 hover:underline">
        CSV
      </a>
      <a href={href("json")} download className="font-medium text-brand-700 hover:underline">
        JSON
      </a>
    </p>
  );
}

/**
 * The console's member list: the filter bar (its state is the URL's query),
 * the table a page at a time, and the bulk bar for the selected rows. A
 * selection and a notice belong to the view they were made in: other filters
 * start without them.
 */
export function MemberList() {
  const trpc = useTRPC();
  const { filters: urlFilters, update } = useMemberListUrl();
  const tree = useQuery(trpc.departments.tree.queryOptions());
  const departments = useMemo(() => (tree.data ? departmentOptions(tree.data) : []), [tree.data]);
  const regularDepartments = useMemo(() => departments.filter((department) => department.kind === "regular"), [departments]);
  // A department the URL names that does not exist (any more) is ignored, as any invalid value is.
  const unknownDepartment = tree.isSuccess && urlFilters.department !== null && !departments.some((d) => d.value === urlFilters.department);
  const filters = unknownDepartment ? { ...urlFilters, department: null } : urlFilters;
  const viewKey = memberListQueryString(filters);

  // A department filter waits for the tree, which tells whether that department exists.
  const list = useMemberListQuery(filters, { enabled: filters.department === null || !tree.isPending });
  const [selection, setSelection] = useState<{ viewKey: string; ids: ReadonlySet<string> }>({ viewKey, ids: NO_IDS });
  const [notice, setNotice] = useState<{ viewKey: string; text: string } | null>(null);
  const [lifecycleResult, setLifecycleResult] = useState<TLifecycleActionOutcome | null>(null);
  const archivedView = filters.status === "archived";

  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  // Rows of the previous filters, shown while these load, are not selectable.
  const stale = list.isPlaceholderData;
  const selectedIds = selection.viewKey === viewKey && !stale ? selection.ids : NO_IDS;
  const selectedRowIds = rows.filter((row) => selectedIds.has(row.id)).map((row) => row.id);
  const select = (ids: ReadonlySet<string>) => setSelection({ viewKey, ids });

  let body;
  if (!list.data || (stale && rows.length === 0)) {
    body = <QueryStatus query={list} loading="Loading members…" failure="The member list could not be loaded" />;
  } else if (rows.length === 0 && archivedView && !hasActiveFilters({ ...filters, status: null })) {
    body = <EmptyList>No archived members. An archived member&apos;s record is kept here, read-only, out of the directory.</EmptyList>;
  } else if (rows.length === 0) {
    body = hasActiveFilters(filters) ? (
      <EmptyList>
        <p>No members match these filters.</p>
        <p className="mt-2">
          <ClearFiltersLink />
        </p>
      </EmptyList>
    ) : (
      <EmptyList>No members yet.</EmptyList>
    );
  } else {
    body = (
      <div className="space-y-3">
        <MemberListTable
          rows={rows}
          selected={selectedIds}
          selectionDisabled={stale}
          busy={stale}
          onToggle={(memberId, checked) => {
            const next = new Set(selectedIds);
            if (checked) next.add(memberId);
            else next.delete(memberId);
            select(next);
          }}
          onToggleAll={(checked) => select(checked ? new Set(rows.map((row) => row.id)) : NO_IDS)}
        />
        {list.isRefetchError ? <LoadFailure failure="The list could not be refreshed" error={list.error} onRetry={list.refetch} /> : null}
        <LoadMore query={list} shown={rows.length} count={countMembers} failure="More members could not be loaded" />
      </div>
    );
  }

  return (
    <div className="space-y-4">
      <MemberListViews filters={filters} />
      <MemberListFilters filters={filters} departments={departments} departmentsUnavailable={tree.isError} onChange={(changes) => update({ ...filters, ...changes })} />
      <ExportLinks viewKey={viewKey} />
      <SuccessStatus message={notice && notice.viewKey === viewKey ? notice.text : null} />
      {selectedRowIds.length > 0 ? (
        <BulkTransferBar
          memberIds={selectedRowIds}
          departments={regularDepartments}
          onClearSelection={() => select(NO_IDS)}
          onDone={(text) => {
            select(NO_IDS);
            setNotice({ viewKey, text });
          }}
          relationsReadOnly={archivedView}
          lifecycleActions={
            <BulkLifecycleActions
              memberIds={selectedRowIds}
              archivedView={archivedView}
              onResult={(outcome) => {
                select(NO_IDS);
                setNotice(null);
                setLifecycleResult(outcome);
              }}
            />
          }
        />
      ) : null}
      {lifecycleResult ? <BulkLifecycleResult outcome={lifecycleResult} onDismiss={() => setLifecycleResult(null)} /> : null}
      {body}
    </div>
  );
}
