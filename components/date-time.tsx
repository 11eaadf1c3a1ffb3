"use client";

import { useSyncExternalStore } from "react";
import { formatDateTime } from "@/components/members/member-labels";

const neverChanges = () => () => {};
const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
// The server knows no browser: it writes UTC, and the browser re-renders in its own zone right after hydration (no mismatch).
const serverTimeZone = () => "UTC";

/** The browser's time zone ("UTC" during the server's render). */
export function useTimeZone(): string {
  return useSyncExternalStore(neverChanges, browserTimeZone, serverTimeZone);
}

/**
 * A moment as the console and /me show every one: absolute, local time, one
 * format (formatDateTime), inside <time dateTime> so machines read the instant.
 */
export function DateTime({ value, className }: { value: Date | string; className?: string }) {
  const timeZone = useTimeZone();
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return <span className={className}>{String(value)}</span>;
  return (
    <time dateTime={date.toISOString()} className={className}>
      {formatDateTime(date, timeZone)}
    </time>
  );
}
