"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { RankedBars } from "@/components/charts/ranked-bars";
import { DateTime } from "@/components/date-time";
import { EmptyList, QueryStatus } from "@/components/list/list-state";
import { formatDuration } from "@/components/status/format-duration";
import { StatusCount, StatusPanel } from "@/components/status/status-card";
import { useTRPC } from "@/components/trpc/client";

/** Sessions' open time today and over 7 days, in total and for the members with the most. */
export function OnlineTimePanel() {
  const trpc = useTRPC();
  const duration = useQuery(trpc.status.onlineDuration.queryOptions());
  return (
    <StatusPanel id="status-online-time" title="Online time">
      {duration.data ? (
        <div className="space-y-4">
          <div className="grid gap-4 sm:grid-cols-2">
            <StatusCount testId="online-today" label="Session time today (UTC)" value={formatDuration(duration.data.todaySeconds)} />
            <StatusCount
              testId="online-week"
              label="Session time, last 7 days"
              value={formatDuration(duration.data.weekSeconds)}
              detail={`${duration.data.membersOnlineThisWeek.toLocaleString("en")} member${duration.data.membersOnlineThisWeek === 1 ? "" : "s"} signed in`}
            />
          </div>
          <div>
            <h3 className="text-sm font-medium text-slate-800">Most time online, last 7 days</h3>
            <div className="mt-2">
              {duration.data.topMembers.length === 0 ? (
                <EmptyList inline>No one has been signed in during the last 7 days.</EmptyList>
              ) : (
                <RankedBars
                  label="Members with the most session time in the last 7 days"
                  items={duration.data.topMembers.map((member) => ({
                    key: member.memberId,
                    label: (
                      <Link href={`/console/members/${member.memberId}`} className="font-medium text-brand-700 hover:underline">
                        {member.fullName}
                      </Link>
                    ),
                    value: member.weekSeconds,
                    valueText: `${formatDuration(member.weekSeconds)} (today ${formatDuration(member.todaySeconds)})`,
                  }))}
                />
              )}
            </div>
          </div>
          <p className="text-xs text-slate-600">
            Session time counts each signed-in browser from sign-in until sign-out, revocation or its last request before going idle. Worked out every 5
            minutes; these figures are from <DateTime value={duration.data.computedAt} />.
          </p>
        </div>
      ) : (
        <QueryStatus query={duration} loading="Loading online time…" failure="Online time could not be loaded" />
      )}
    </StatusPanel>
  );
}
