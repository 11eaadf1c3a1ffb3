import type { z } from "zod";
import type { TDatabase } from "@/server/db/client";
import { ZSignInIncidentsInput } from "@/server/status/schemas";
import { startOfUtcDay } from "@/server/status/utc-day";

const DAY_MS = 24 * 60 * 60 * 1000;

export type TIncidentDay = {
  /** YYYY-MM-DD, a UTC day. */
  day: string;
  /** Sign-ins that looked abnormal (new device, unusual frequency): let in with an alert, or refused and locked. */
  abnormalSignIns: number;
  /** Wrong passwords that started a sign-in lockout (the throttle). */
  signInLockouts: number;
  /** Accounts locked (by an admin, after an abnormal sign-in, or "this wasn't me"), from the audit trail. */
  accountLocks: number;
};

/**
 * Abnormal sign-ins and lockouts per UTC day over the last 14 or 30 days,
 * every day present (zeros included). One query: the sign-in history through
 * login_attempts_tenant_incidents_idx (only abnormal attempts and lockouts are
 * in it) and the audit trail's locks through audit_events_tenant_locks_idx.
 */
export async function getSignInIncidents(db: TDatabase, tenantId: bigint, rawInput: z.input<typeof ZSignInIncidentsInput>, now = new Date()): Promise<{ days: TIncidentDay[] }> {
  const { days } = ZSignInIncidentsInput.parse(rawInput);
  const firstDay = new Date(startOfUtcDay(now).getTime() - (days - 1) * DAY_MS);
  const rows = await db.$queryRaw<{ day: string; abnormal: bigint; lockouts: bigint; locks: bigint }[]>`
    WITH days AS (
      SELECT generate_series(${firstDay}::timestamptz AT TIME ZONE 'UTC', ${now}::timestamptz AT TIME ZONE 'UTC', interval '1 day')::date AS day
    ), attempts AS (
      SELECT (created_at AT TIME ZONE 'UTC')::date AS day,
             count(*) FILTER (WHERE abnormal) AS abnormal,
             count(*) FILTER (WHERE result = 'failure' AND lockout_until IS NOT NULL) AS lockouts
      FROM login_attempts
      WHERE tenant_id = ${tenantId} AND created_at >= ${firstDay} AND created_at <= ${now}
        AND (abnormal OR (result = 'failure' AND lockout_until IS NOT NULL))
      GROUP BY 1
    ), locks AS (
      SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS locks
      FROM audit_events
      WHERE tenant_id = ${tenantId} AND action = 'member.lock' AND created_at >= ${firstDay} AND created_at <= ${now}
      GROUP BY 1
    )
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(a.abnormal, 0) AS abnormal, coalesce(a.lockouts, 0) AS lockouts, coalesce(l.locks, 0) AS locks
    FROM days d LEFT JOIN attempts a ON a.day = d.day LEFT JOIN locks l ON l.day = d.day
    ORDER BY d.day`;
  return {
    days: rows.map((row) => ({ day: row.day, abnormalSignIns: Number(row.abnormal), signInLockouts: Number(row.lockouts), accountLocks: Number(row.locks) })),
  };
}
