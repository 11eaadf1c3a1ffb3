import { Prisma } from "@/server/db/generated/client";
import type { TDatabase } from "@/server/db/client";
import { closedAt, endedCondition } from "@/server/auth/session-ended-condition";
import { startOfUtcDay } from "@/server/status/utc-day";

const DAY_MS = 24 * 60 * 60 * 1000;
const TOP_MEMBERS = 5;

export type TMemberOnlineTime = { memberId: string; fullName: string; username: string; todaySeconds: number; weekSeconds: number };
export type TOnlineDuration = {
  /** Since midnight UTC. */
  todayStartsAt: Date;
  weekStartsAt: Date;
  todaySeconds: number;
  weekSeconds: number;
  /** Members with any session time in the last 7 days. */
  membersOnlineThisWeek: number;
  topMembers: TMemberOnlineTime[];
};



/**
 * Sessions' open time (created until revoked, until their last request when
 * they went idle or expired, or until now while open), summed per member and
 * in total, for today (UTC) and the last 7 days. Two browsers open at once
 * count twice: it is session time. One query over this tenant's sessions
 * (sessions_tenant_idx) and the spans of sessions the sweep deleted
 * (session_spans_tenant_ended_idx): no per-member loop. Grouping a million
 * members' sessions takes seconds, so pages read it through
 * online-duration-snapshot.ts.
 */
export async function computeOnlineDuration(db: TDatabase, tenantId: bigint, now = new Date()): Promise<TOnlineDuration> {
  const todayStartsAt = startOfUtcDay(now);
  const weekStartsAt = new Date(now.getTime() - 7 * DAY_MS);
  const overlap = (from: Date) => Prisma.sql`greatest(0, extract(epoch FROM least(ended_at, ${now}) - greatest(started_at, ${from}::timestamptz)))`;
  const rows = await db.$queryRaw<
    { user_id: bigint | null; full_name: string | null; username: string | null; today: number | null; week: number | null; total_today: number; total_week: number; members: bigint }[]
  >`
    WITH spans AS (
      SELECT s.user_id, s.created_at AS started_at, ${closedAt(Prisma.sql`s`, now, endedCondition(now))} AS ended_at
      FROM sessions s LEFT JOIN tenant_security_policies p ON p.tenant_id = s.tenant_id
      WHERE s.tenant_id = ${tenantId} AND s.created_at < ${now}
      UNION ALL
      SELECT user_id, started_at, ended_at FROM session_spans
      WHERE tenant_id = ${tenantId} AND ended_at > ${weekStartsAt} AND started_at < ${now}
    ), per_member AS (
      SELECT user_id, sum(${overlap(todayStartsAt)})::float8 AS today, sum(${overlap(weekStartsAt)})::float8 AS week
      FROM spans GROUP BY user_id
    ), totals AS (
      SELECT coalesce(sum(today), 0)::float8 AS total_today, coalesce(sum(week), 0)::float8 AS total_week, count(*) FILTER (WHERE week > 0) AS members
      FROM per_member
    )
    SELECT top.user_id, u.full_name, u.username::text, top.today, top.week, totals.*
    FROM totals
    LEFT JOIN LATERAL (SELECT * FROM per_member WHERE week > 0 ORDER BY week DESC, user_id LIMIT ${TOP_MEMBERS}) top ON true
    LEFT JOIN users u ON u.id = top.user_id
    ORDER BY top.week DESC NULLS LAST, top.user_id`;
  const first = rows[0];
  return {
    todayStartsAt,
    weekStartsAt,
    todaySeconds: Math.round(first?.total_today ?? 0),
    weekSeconds: Math.round(first?.total_week ?? 0),
    membersOnlineThisWeek: Number(first?.members ?? 0),
    topMembers: rows
      .filter((row) => row.user_id !== null)
      .map((row) => ({
        memberId: row.user_id!.toString(),
        fullName: row.full_name ?? "",
        username: row.username ?? "",
        todaySeconds: Math.round(row.today ?? 0),
        weekSeconds: Math.round(row.week ?? 0),
      })),
  };
}
