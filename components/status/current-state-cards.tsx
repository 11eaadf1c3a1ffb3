"use client";

import { useQuery } from "@tanstack/react-query";
import { QueryStatus } from "@/components/list/list-state";
import { StatusCount, StatusPanel } from "@/components/status/status-card";
import { useTRPC } from "@/components/trpc/client";

/** Who is signed in now, who is locked out, who signs in with a password alone, and the alerts waiting. */
export function CurrentStateCards() {
  const trpc = useTRPC();
  const online = useQuery(trpc.status.onlineNow.queryOptions());
  const accounts = useQuery(trpc.status.accountSecurity.queryOptions());
  const unread = useQuery(trpc.alerts.unreadCount.queryOptions());
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <StatusPanel id="status-online" title="Online now">
        {online.data ? (
          <StatusCount
            testId="online-members"
            label="Members online"
            value={online.data.onlineMembers}
            href="/console/members?sort=lastOnline&order=desc"
            detail={`${online.data.openSessions.toLocaleString("en")} open session${online.data.openSessions === 1 ? "" : "s"}`}
          />
        ) : (
          <QueryStatus query={online} loading="Loading who is online…" failure="Who is online could not be loaded" />
        )}
      </StatusPanel>
      <StatusPanel id="status-locked" title="Locked">
        {accounts.data ? (
          <StatusCount testId="locked-members" label="Members locked now" value={accounts.data.lockedMembers} href="/console/members?status=locked" />
        ) : (
          <QueryStatus query={accounts} loading="Loading locked members…" failure="Locked members could not be loaded" />
        )}
      </StatusPanel>
      <StatusPanel id="status-mfa" title="Two-step verification">
        {accounts.data ? (
          <StatusCount
            testId="without-mfa"
            label="Active members without it"
            value={accounts.data.withoutMfa}
            detail={`of ${accounts.data.activeMembers.toLocaleString("en")} active member${accounts.data.activeMembers === 1 ? "" : "s"}`}
          />
        ) : (
          <QueryStatus query={accounts} loading="Loading two-step verification…" failure="Two-step verification could not be loaded" />
        )}
      </StatusPanel>
      <StatusPanel id="status-alerts" title="Pending alerts">
        {unread.data !== undefined ? (
          <StatusCount testId="pending-alerts" label="Unread alerts" value={unread.data} href="/console/notifications" detail="yours, in the notification centre" />
        ) : (
          <QueryStatus query={unread} loading="Loading alerts…" failure="Alerts could not be loaded" />
        )}
      </StatusPanel>
    </div>
  );
}
