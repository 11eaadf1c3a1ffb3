"use client";

import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { QueryStatus } from "@/components/list/list-state";
import { StatusCount, StatusPanel } from "@/components/status/status-card";
import { useTRPC } from "@/components/trpc/client";

const WINDOWS = [7, 14, 30] as const;

/** Active members whose password must change, expires soon or has expired. */
export function PasswordPanel() {
  const trpc = useTRPC();
  const [withinDays, setWithinDays] = useState<(typeof WINDOWS)[number]>(14);
  const health = useQuery({ ...trpc.status.passwordHealth.queryOptions({ withinDays }), placeholderData: keepPreviousData });
  const windowChoice = (
    <label className="text-sm">
      <span className="mr-2 text-slate-700">Expiring within</span>
      <select value={withinDays} onChange={(event) => setWithinDays(Number(event.target.value) as (typeof WINDOWS)[number])} className="rounded-md border border-slate-300 px-2 py-1">
        {WINDOWS.map((days) => (
          <option key={days} value={days}>
            {days} days
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <StatusPanel id="status-passwords" title="Passwords" actions={windowChoice}>
      {health.data && !health.isPlaceholderData ? (
        <div className="grid gap-4 sm:grid-cols-3">
          <StatusCount testId="password-must-change" label="Must change (weak, expired or reset)" value={health.data.mustChange} />
          <StatusCount testId="password-expiring" label={`Expiring within ${health.data.withinDays} days`} value={health.data.expiringSoon} />
          <StatusCount testId="password-expired" label="Expired" value={health.data.expired} />
        </div>
      ) : (
        <QueryStatus query={health} loading="Loading passwords…" failure="Passwords could not be loaded" />
      )}
      <p className="mt-3 text-xs text-slate-600">Active members only. A member who must change their password can do nothing else until they have.</p>
    </StatusPanel>
  );
}
