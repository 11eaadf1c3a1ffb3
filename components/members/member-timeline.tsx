"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { AuditChanges } from "@/components/audit/audit-changes";
import { AuditEventByline } from "@/components/audit/audit-event-byline";
import { ListState } from "@/components/list/list-state";
import { actionLabel } from "@/components/audit/audit-labels";
import { useTRPC } from "@/components/trpc/client";

const PAGE_SIZE = 20;

/** A member's audit events, newest first, a page at a time. */
export function MemberTimeline({ memberId }: { memberId: string }) {
  const trpc = useTRPC();
  const timeline = useInfiniteQuery(
    trpc.members.timeline.infiniteQueryOptions({ memberId, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }),
  );

  return (
    <ListState
      query={timeline}
      loading="Loading the timeline…"
      failure="The timeline could not be loaded"
      empty="Nothing recorded for this member yet."
      moreFailure="More events could not be loaded"
    >
      {(events) => (
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
      )}
    </ListState>
  );
}
