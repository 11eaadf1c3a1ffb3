"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { compareFields, fieldLabel, formatDateTime, formatFieldValue } from "@/components/members/member-labels";
import { useTRPC } from "@/components/trpc/client";

const PAGE_SIZE = 20;

const ACTION_LABELS: Record<string, string> = {
  "member.created": "Created",
  "member.updated": "Profile edited",
  "member.transferred": "Department changed",
  "member.role_granted": "Role granted",
  "member.role_revoked": "Role revoked",
  "member.group_granted": "Added to a group",
  "member.group_revoked": "Removed from a group",
  "member.application_granted": "Application granted",
  "member.application_revoked": "Application revoked",
  "member.policy_granted": "Policy granted",
  "member.policy_revoked": "Policy revoked",
};

function Value({ field, value }: { field: string; value: unknown }) {
  const text = formatFieldValue(field, value);
  return text === null ? <span className="italic text-slate-400">empty</span> : <span className="break-all font-medium text-slate-900">{text}</span>;
}

function Changes({ changes, created }: { changes: Record<string, { before: unknown; after: unknown }>; created: boolean }) {
  const entries = Object.entries(changes ?? {}).sort(([a], [b]) => compareFields(a, b));
  if (entries.length === 0) return null;
  return (
    <ul className="mt-2 space-y-1 text-sm">
      {entries.map(([field, change]) => (
        <li key={field} data-field={field} className="grid grid-cols-[9rem_1fr] gap-2">
          <span className="text-slate-600">{fieldLabel(field)}</span>
          {/* A creation has no "before": only what the member started with. */}
          {created && change.before === null ? (
            <span>
              <Value field={field} value={change.after} />
            </span>
          ) : (
            <span>
              <Value field={field} value={change.before} /> <span className="text-slate-400">→</span> <Value field={field} value={change.after} />
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

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
              <span className="font-semibold text-slate-900">{ACTION_LABELS[event.action] ?? event.action}</span>
              <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{event.action}</code>
              <span className="text-sm text-slate-600">
                by <span className="font-medium text-slate-800">{event.actorName}</span>,{" "}
                <time dateTime={event.at.toISOString()}>{formatDateTime(event.at)}</time>
                {event.ipAddress ? <span className="text-slate-500"> from {event.ipAddress}</span> : null}
              </span>
            </div>
            <Changes changes={event.changes} created={event.action.endsWith(".created")} />
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
