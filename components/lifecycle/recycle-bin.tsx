"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { HardDeleteDialog } from "@/components/lifecycle/hard-delete-dialog";
import { RefusedMembers } from "@/components/lifecycle/refused-members";
import { countMembers, STATUS_LABELS } from "@/components/members/member-list-labels";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { EmptyList, LoadMore, QueryStatus } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import type { TMemberState } from "@/server/shared/member-states";
import { DateTime } from "@/components/date-time";

const PAGE_SIZE = 50;
const NO_IDS: ReadonlySet<string> = new Set();

const cell = "px-3 py-2";
const headerCell = "px-3 py-2 whitespace-nowrap";

function When({ value }: { value: Date }) {
  return <DateTime value={value} />;
}

/**
 * The recycle bin: deleted members, newest first, a page at a time; each can
 * be restored (with their relations) within the grace period or deleted
 * permanently now; several can be restored at once.
 */
export function RecycleBin({ justErased }: { justErased: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const bin = useInfiniteQuery(trpc.lifecycle.recycleBin.infiniteQueryOptions({ limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }));
  const rows = useMemo(() => bin.data?.pages.flatMap((page) => page.items) ?? [], [bin.data]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(NO_IDS);
  const [erasing, setErasing] = useState<(typeof rows)[number] | null>(null);
  const [notice, setNotice] = useState<string | null>(justErased ? "The member was deleted permanently." : null);
  const restore = useMutation(
    trpc.lifecycle.run.mutationOptions({
      onSuccess: async (outcome) => {
        setSelected(NO_IDS);
        const names = outcome.changed.map((member) => rows.find((row) => row.memberId === member.memberId)?.fullName ?? member.username);
        const gone = Object.values(outcome.notRestored).flat();
        setNotice(
          `Restored ${names.length === 1 ? names[0] : countMembers(names.length)}.${gone.length > 0 ? ` Not restored (deleted meanwhile): ${gone.join(", ")}.` : ""}`,
        );
        await queryClient.invalidateQueries();
      },
    }),
  );
  const selectedIds = rows.filter((row) => selected.has(row.memberId)).map((row) => row.memberId);
  const allSelected = rows.length > 0 && selectedIds.length === rows.length;
  // Restoring asks "Confirm it's you" first (server/auth/sensitive-operations.ts), then restores the same members.
  const { requireStepUp, stepUpDialog } = useStepUp();
  const restoreIds = (memberIds: string[]) => {
    setNotice(null);
    restore.mutate({ action: "restore", memberIds }, { onError: (error) => void requireStepUp(error, () => restoreIds(memberIds)) });
  };

  if (bin.isPending || !bin.data) return <QueryStatus query={bin} loading="Loading the recycle bin…" failure="The recycle bin could not be loaded" />;


  return (
    <div className="space-y-4">
      <SuccessStatus message={notice} />
      {stepUpDialog}
      {restore.isError && !isStepUpRequired(restore.error) ? <FormAlert>Nothing was restored: {restore.error.message}</FormAlert> : null}
      {restore.data && restore.data.refused.length > 0 ? <RefusedMembers title="Not restored" refused={restore.data.refused} /> : null}
      {rows.length === 0 ? (
        <EmptyList>The recycle bin is empty. Deleted members wait here for their grace period before they are erased.</EmptyList>
      ) : (
        <>
          {selectedIds.length > 0 ? (
            <div className="flex flex-wrap items-center gap-3 rounded-lg border border-brand-600/40 bg-brand-50 px-4 py-3">
              <p className="text-sm font-semibold">{selectedIds.length.toLocaleString("en")} selected</p>
              <button type="button" disabled={restore.isPending} onClick={() => restoreIds(selectedIds)} className={PRIMARY_BUTTON}>
                {restore.isPending ? "Restoring…" : `Restore ${countMembers(selectedIds.length)}`}
              </button>
              <button type="button" onClick={() => setSelected(NO_IDS)} className="text-sm font-medium text-brand-700 hover:underline">
                Clear selection
              </button>
            </div>
          ) : null}
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table aria-label="Deleted members" aria-busy={restore.isPending || undefined} className="min-w-full divide-y divide-slate-200 text-sm">
              <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="w-10 px-3 py-2">
                    <input
                      type="checkbox"
                      aria-label="Select all loaded deleted members"
                      checked={allSelected}
                      onChange={(event) => setSelected(event.target.checked ? new Set(rows.map((row) => row.memberId)) : NO_IDS)}
                      className="size-4 rounded border-slate-300"
                    />
                  </th>
                  <th scope="col" className={headerCell}>Name</th>
                  <th scope="col" className={headerCell}>Username</th>
                  <th scope="col" className={headerCell}>Deleted</th>
                  <th scope="col" className={headerCell}>By</th>
                  <th scope="col" className={headerCell}>Erased on</th>
                  <th scope="col" className={headerCell}>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((row) => (
                  <tr key={row.memberId} data-member-id={row.memberId}>
                    <td className={cell}>
                      <input
                        type="checkbox"
                        aria-label={`Select ${row.fullName}`}
                        checked={selected.has(row.memberId)}
                        onChange={(event) => {
                          const next = new Set(selected);
                          if (event.target.checked) next.add(row.memberId);
                          else next.delete(row.memberId);
                          setSelected(next);
                        }}
                        className="size-4 rounded border-slate-300"
                      />
                    </td>
                    <th scope="row" className={`${cell} whitespace-nowrap text-left font-medium`}>
                      <Link href={`/console/members/${row.memberId}`} className="text-brand-700 hover:underline">
                        {row.fullName}
                      </Link>
                      <span className="block text-xs font-normal text-slate-500">was {STATUS_LABELS[row.stateBefore as TMemberState] ?? row.stateBefore}</span>
                    </th>
                    <td className={`${cell} whitespace-nowrap`}>{row.username}</td>
                    <td className={`${cell} whitespace-nowrap`}>
                      <When value={row.deletedAt} />
                    </td>
                    <td className={cell}>{row.deletedBy ?? <span className="text-slate-600">the system</span>}</td>
                    <td className={`${cell} whitespace-nowrap`}>
                      <When value={row.hardDeleteAt} />
                    </td>
                    <td className={`${cell} whitespace-nowrap text-right`}>
                      <div className="flex justify-end gap-3">
                        <button
                          type="button"
                          disabled={restore.isPending}
                          onClick={() => restoreIds([row.memberId])}
                          aria-label={`Restore ${row.fullName}`}
                          className="text-sm font-medium text-brand-700 hover:underline disabled:opacity-60"
                        >
                          Restore
                        </button>
                        <button
                          type="button"
                          onClick={() => {
                            setNotice(null);
                            setErasing(row);
                          }}
                          // The name starts with the visible text (WCAG 2.5.3: a voice user says what they see); the row's member follows.
                          aria-label={`Delete permanently: ${row.fullName}`}
                          className="text-sm font-medium text-red-700 hover:underline"
                        >
                          Delete permanently
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore
            query={bin}
            shown={rows.length}
            count={countMembers}
            failure="More deleted members could not be loaded"
          />
        </>
      )}
      {erasing ? (
        <HardDeleteDialog
          member={{ id: erasing.memberId, fullName: erasing.fullName, username: erasing.username }}
          onClose={() => setErasing(null)}
          onErased={() => {
            setNotice(`${erasing.fullName} was deleted permanently.`);
            setErasing(null);
            void queryClient.invalidateQueries();
          }}
        />
      ) : null}
    </div>
  );
}
