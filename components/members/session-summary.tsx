import { DateTime } from "@/components/date-time";

/** One open session as a person reads it: the device (and which is the current one), address, when it signed in and was last seen. */
export function SessionSummary({
  session,
  currentLabel,
}: {
  session: { device: string; current: boolean; ipAddress: string | null; createdAt: Date; lastSeenAt: Date };
  currentLabel: string;
}) {
  return (
    <div className="min-w-0 flex-1">
      <p className="font-medium text-slate-900">
        {session.device}
        {session.current ? <span className="ml-2 rounded bg-brand-50 px-1.5 py-0.5 text-xs text-brand-700">{currentLabel}</span> : null}
      </p>
      <p className="text-xs text-slate-500">
        {session.ipAddress ?? "address not recorded"} · signed in <DateTime value={session.createdAt} /> · last seen <DateTime value={session.lastSeenAt} />
      </p>
    </div>
  );
}
