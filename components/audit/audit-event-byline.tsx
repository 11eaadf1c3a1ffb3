import { formatDateTime } from "@/components/members/member-labels";

/** The action's code, who did it, when, and from where: the line under every audit event's title. */
export function AuditEventByline({ event }: { event: { action: string; actorName: string; at: Date; ipAddress: string | null } }) {
  return (
    <>
      <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{event.action}</code>
      <span className="text-sm text-slate-600">
        by <span className="font-medium text-slate-800">{event.actorName}</span>, <time dateTime={event.at.toISOString()}>{formatDateTime(event.at)}</time>
        {event.ipAddress ? <span className="text-slate-500"> from {event.ipAddress}</span> : null}
      </span>
    </>
  );
}
