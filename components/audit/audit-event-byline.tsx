import { DateTime } from "@/components/date-time";

/**
 * Who did it, when, and from where: the line under every audit event's title;
 * in the audit trail also the action's code, which its filter takes.
 */
export function AuditEventByline({ event, showCode = false }: { event: { action: string; actorName: string; at: Date; ipAddress: string | null }; showCode?: boolean }) {
  return (
    <span className="text-sm text-slate-600">
      {showCode ? <code className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{event.action}</code> : null}
      by <span className="font-medium text-slate-800">{event.actorName}</span>, <DateTime value={event.at} />
      {event.ipAddress ? <span className="text-slate-500"> from {event.ipAddress}</span> : null}
    </span>
  );
}
