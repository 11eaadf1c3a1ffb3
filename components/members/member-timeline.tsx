"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { AuditChanges } from "@/components/audit/audit-changes";
import { AuditEventByline } from "@/components/audit/audit-event-byline";
import { actionLabel } from "@/components/audit/audit-labels";
import { useTRPC } from "@/components/trpc/client";

const PAGE_SIZE = 20;

/** A member's audit events, newest first, a page at a time. */
export function MemberTimeline({ memberId }: { memberId: string }) {
  const trpc = useTRPC();
  const timeline = useInfiniteQuery(
    trpc.members.timeline.infiniteQueryOptions({ memberId, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }),
  );

  if (timeline.isPending) {
    return (
      <p role="status" className="text-sm text-slate-600">
        Loading the timeline…
      </p>
    );
  }
  if (!timeline.data) {
    return (
      <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-800">
        The timeline could not be loaded: {timeline.error?.message ?? "unknown error"}{" "}
        <button type="button" className="font-medium underline" onClick={() => void timeline.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  const events = timeline.data.pages.flatMap((page) => page.items);
  if (events.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">
        Nothing recorded for this member yet.
      </p>
    );
  }
  return (
    <div className="space-y-3">
      <ol aria-label="Timeline" className="space-y-3">
        {events.map((event) => (
          <li key={event.id} className="rounded-lg border border-slate-200 bg-white p-4" data-testid="timeline-event">
            <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
              <span className="font-semibold text-slate-900">{actionLabel(event.action)}</span>
              <AuditEventByline event={event} />
            </div>
            <AuditChanges changes={event.changes} />
          </li>
        ))}
      </ol>
      {timeline.hasNextPage ? (
        <button type="button" disabled={timeline.isFetchingNextPage} onClick={() => void timeline.fetchNextPage()} className={SECONDARY_BUTTON}>
          {timeline.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      ) : null}
      {timeline.isFetchNextPageError ? (
        <p role="alert" className="text-sm text-red-600">
          More events could not be loaded: {timeline.error?.message}. Try again.
        </p>
      ) : null}
    </div>
  );
}
