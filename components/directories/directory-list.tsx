"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { DateTime } from "@/components/date-time";
import { PRESET_LABELS, scheduleLabel } from "@/components/directories/directory-labels";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";

/** Settings → Directories: every directory, its address, schedule, members and last sync. */
export function DirectoryList() {
  const trpc = useTRPC();
  const directories = useQuery(trpc.directories.list.queryOptions());
  return (
    <ListState query={directories} loading="Loading the directories…" failure="The directories could not be loaded" empty="No directory connected: members are created in the console, by onboarding or by import.">
      {(items) => (
        <ul aria-label="Directories" className="space-y-2">
          {items.map((directory) => (
            <li key={directory.id} className="rounded-lg border border-slate-200 bg-white p-4">
              <h2 className="font-medium">
                <Link href={`/console/settings/directories/${directory.id}`} className="text-brand-700 hover:underline">
                  {directory.name}
                </Link>
              </h2>
              <p className="mt-1 break-all text-sm text-slate-700">
                {PRESET_LABELS[directory.preset]} at {directory.url}, under {directory.baseDn}
              </p>
              <p className="mt-1 text-sm text-slate-600">
                {directory.memberCount === 1 ? "1 member" : `${directory.memberCount} members`} · {scheduleLabel(directory.syncIntervalMinutes)} · Last sync:{" "}
                {directory.lastSyncedAt ? <DateTime value={directory.lastSyncedAt} /> : "never"}
                {directory.signInByBind ? " · Sign-in by LDAP bind" : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
    </ListState>
  );
}
