"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { DateTime } from "@/components/date-time";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { EmptyList, LoadMore, QueryStatus } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import { ALERT_CLASS_LABELS } from "@/components/alerts/alert-labels";

const PAGE_SIZE = 25;

/** The notification centre: the signed-in admin's own alerts, newest first; each opens its audit event. */
export function NotificationList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const notifications = useInfiniteQuery(trpc.alerts.notifications.infiniteQueryOptions({ limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }));
  const items = useMemo(() => notifications.data?.pages.flatMap((page) => page.items) ?? [], [notifications.data]);
  const refresh = () =>
    Promise.all([queryClient.invalidateQueries(trpc.alerts.notifications.pathFilter()), queryClient.invalidateQueries(trpc.alerts.unreadCount.pathFilter())]);
  const markRead = useMutation(trpc.alerts.markRead.mutationOptions({ onSuccess: refresh }));
  const markAll = useMutation(
    trpc.alerts.markAllRead.mutationOptions({
      onSuccess: async (result) => {
        setDone(result.marked === 1 ? "1 notification marked as read." : `${result.marked} notifications marked as read.`);
        await refresh();
      },
    }),
  );

  if (notifications.isPending || !notifications.data) {
    return <QueryStatus query={notifications} loading="Loading notifications…" failure="The notifications could not be loaded" />;
  }
  if (items.length === 0) return <EmptyList>No notifications yet. Alerts arrive here as the rules in Settings → Alerts say.</EmptyList>;
  const anyUnread = items.some((item) => item.readAt === null);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className={SECONDARY_BUTTON} disabled={!anyUnread || markAll.isPending} onClick={() => markAll.mutate()}>
          {markAll.isPending ? "Marking…" : "Mark all as read"}
        </button>
        <SuccessStatus message={done} />
      </div>
      {markRead.isError ? <FormAlert>{markRead.error.message}</FormAlert> : null}
      {markAll.isError ? <FormAlert>{markAll.error.message}</FormAlert> : null}
      <ul aria-label="Notifications" className="space-y-2">
        {items.map((item) => {
          const unread = item.readAt === null;
          return (
            <li key={item.id} className={`rounded-lg border bg-white p-4 ${unread ? "border-brand-600" : "border-slate-200"}`} data-unread={unread || undefined}>
              <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                <h2 className="font-medium text-slate-900">
                  {unread ? <span className="sr-only">Unread: </span> : null}
                  {item.title}
                </h2>
                <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">{ALERT_CLASS_LABELS[item.eventClass] ?? item.eventClass}</span>
                <DateTime value={item.createdAt} className="text-xs text-slate-600" />
              </div>
              <p className="mt-1 text-sm text-slate-700">{item.body}</p>
              <div className="mt-2 flex flex-wrap items-center gap-3 text-sm">
                <Link
                  href={`/console/audit/${item.auditEventId}`}
                  className="font-medium text-brand-700 hover:underline"
                  onClick={() => {
                    if (unread) markRead.mutate({ notificationId: item.id });
                  }}
                >
                  Open the audit event
                </Link>
                {unread ? (
                  <button type="button" className="text-brand-700 hover:underline" onClick={() => markRead.mutate({ notificationId: item.id })}>
                    Mark as read
                  </button>
                ) : (
                  <span className="text-xs text-slate-600">
                    Read <DateTime value={item.readAt!} />
                  </span>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      <LoadMore query={notifications} shown={items.length} failure="More notifications could not be loaded" />
    </div>
  );
}
