"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useId, useRef } from "react";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";

export type TOpenCell = { departmentId: string; departmentName: string; policyId: string; permission: string; summary: string };

/** A heatmap cell's holders with every path that gives them the permission, 50 at a time. */
export function CellHoldersPanel({ cell, onClose }: { cell: TOpenCell; onClose: () => void }) {
  const trpc = useTRPC();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement | null>(null);
  const holders = useInfiniteQuery(
    trpc.heatmap.cellHolders.infiniteQueryOptions(
      { departmentId: cell.departmentId, policyId: cell.policyId },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  // Opening a cell moves the reader to what it opened.
  useEffect(() => heading.current?.focus(), [cell.departmentId, cell.policyId]);

  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 id={headingId} ref={heading} tabIndex={-1} className="break-words text-lg font-semibold outline-none">
            {cell.departmentName} · {cell.permission}
          </h2>
          <p className="text-sm text-slate-600">{cell.summary}</p>
        </div>
        <button type="button" className={SECONDARY_BUTTON} onClick={onClose}>
          Close
        </button>
      </div>
      <ListState
        query={holders}
        loading="Loading the holders…"
        failure="The holders could not be loaded"
        empty="Nobody in this department holds this permission."
        inline
        moreFailure="More holders could not be loaded"
        count={(shown) => `${shown} holder${shown === 1 ? "" : "s"}`}
      >
        {(items) => (
          <ul className="divide-y divide-slate-100">
            {items.map((holder) => (
              <li key={holder.id} className="py-2">
                <Link href={`/console/members/${holder.id}`} className="font-medium text-brand-700 underline">
                  {holder.fullName}
                </Link>{" "}
                <span className="text-sm text-slate-600">{holder.username}</span>
                <ul className="mt-1 space-y-0.5 text-sm text-slate-700">
                  {holder.paths.map((path) => (
                    <li key={path} className="break-words">
                      {path}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </ListState>
    </section>
  );
}
