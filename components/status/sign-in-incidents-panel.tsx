"use client";

import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { DailyBars } from "@/components/charts/daily-bars";
import { EmptyList, QueryStatus } from "@/components/list/list-state";
import { StatusPanel } from "@/components/status/status-card";
import { useTRPC } from "@/components/trpc/client";
import { INCIDENT_PERIODS } from "@/server/status/schemas";

type TPeriod = (typeof INCIDENT_PERIODS)[number];

/** Abnormal sign-ins, sign-in lockouts and account locks per day: three small charts, one series each. */
export function SignInIncidentsPanel() {
  const trpc = useTRPC();
  const [days, setDays] = useState<TPeriod>(14);
  const incidents = useQuery({ ...trpc.status.signInIncidents.queryOptions({ days }), placeholderData: keepPreviousData });
  const period = (
    <fieldset className="flex items-center gap-3 text-sm">
      <legend className="sr-only">Period</legend>
      {INCIDENT_PERIODS.map((option) => (
        <label key={option} className="flex items-center gap-1">
          <input type="radio" name="incident-period" value={option} checked={days === option} onChange={() => setDays(option)} />
          Last {option} days
        </label>
      ))}
    </fieldset>
  );
  const points = incidents.data?.days ?? [];
  const none = points.every((day) => day.abnormalSignIns + day.signInLockouts + day.accountLocks === 0);
  return (
    <StatusPanel id="status-incidents" title="Sign-in incidents" actions={period}>
      {incidents.data && !incidents.isPlaceholderData ? (
        none ? (
          <EmptyList inline>No abnormal sign-ins, lockouts or account locks in the last {days} days.</EmptyList>
        ) : (
          <div className="grid gap-6 lg:grid-cols-3">
            <DailyBars title="Abnormal sign-ins" unit="abnormal sign-ins" points={points.map((day) => ({ day: day.day, value: day.abnormalSignIns }))} />
            <DailyBars title="Sign-in lockouts" unit="lockouts" points={points.map((day) => ({ day: day.day, value: day.signInLockouts }))} />
            <DailyBars title="Accounts locked" unit="account locks" points={points.map((day) => ({ day: day.day, value: day.accountLocks }))} />
          </div>
        )
      ) : (
        <QueryStatus query={incidents} loading="Loading sign-in incidents…" failure="Sign-in incidents could not be loaded" />
      )}
      <p className="mt-3 text-xs text-slate-600">Days are UTC days. Abnormal: a new device or unusually frequent sign-ins. Lockouts: too many wrong passwords in a row.</p>
    </StatusPanel>
  );
}
