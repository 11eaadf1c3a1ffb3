"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";

/** How often the bell asks for the unread count: alerts are written by a job within seconds. */
const REFRESH_MS = 30_000;

/** The console header's bell: the unread count in its accessible name ("Notifications, 3 unread"), a link to the centre. */
export function NotificationBell() {
  const trpc = useTRPC();
  const unread = useQuery(trpc.alerts.unreadCount.queryOptions(undefined, { refetchInterval: REFRESH_MS }));
  const count = unread.data ?? 0;
  const label = unread.data === undefined ? "Notifications" : `Notifications, ${count} unread`;
  return (
    <Link
      href="/console/notifications"
      aria-label={label}
      title={label}
      data-testid="notification-bell"
      className="relative inline-flex size-9 shrink-0 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100"
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {count > 0 ? (
        <span aria-hidden="true" className="absolute -right-0.5 -top-0.5 min-w-5 rounded-full bg-red-700 px-1 text-center text-xs font-semibold leading-5 text-white">
          {count > 99 ? "99+" : count}
        </span>
      ) : null}
    </Link>
  );
}
