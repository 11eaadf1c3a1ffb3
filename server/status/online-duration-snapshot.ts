import { z } from "zod";
import type { TDatabase } from "@/server/db/client";
import { computeOnlineDuration, type TOnlineDuration } from "@/server/status/online-duration";
import { startOfUtcDay } from "@/server/status/utc-day";

// Online time groups every session of the last 7 days by member: ~8 s at a
// million members (measured), too slow for each page view. The
// status__refresh_snapshots job computes it every 5 minutes into
// status_snapshots; a page reads that, and computes it itself only when the
// snapshot is missing, older than 10 minutes (the worker is down) or from
// another UTC day ("today" would be yesterday).

const CARD = "online_duration";
export const SNAPSHOT_MAX_AGE_MS = 10 * 60 * 1000;

const ZSnapshot = z.object({
  todayStartsAt: z.coerce.date(),
  weekStartsAt: z.coerce.date(),
  todaySeconds: z.number(),
  weekSeconds: z.number(),
  membersOnlineThisWeek: z.number(),
  topMembers: z.array(z.object({ memberId: z.string(), fullName: z.string(), username: z.string(), todaySeconds: z.number(), weekSeconds: z.number() })),
});

export type TOnlineDurationSnapshot = TOnlineDuration & { computedAt: Date };

/** Computes the card now and stores it for the pages that follow. */
export async function refreshOnlineDuration(db: TDatabase, tenantId: bigint, now = new Date()): Promise<TOnlineDurationSnapshot> {
  const data = await computeOnlineDuration(db, tenantId, now);
  const json = JSON.parse(JSON.stringify(data)) as object;
  await db.statusSnapshot.upsert({
    where: { tenantId_card: { tenantId, card: CARD } },
    create: { tenantId, card: CARD, computedAt: now, data: json },
    update: { computedAt: now, data: json },
  });
  return { ...data, computedAt: now };
}

/** The card as last computed, or computed now when that is too old. */
export async function getOnlineDuration(db: TDatabase, tenantId: bigint, now = new Date()): Promise<TOnlineDurationSnapshot> {
  const snapshot = await db.statusSnapshot.findUnique({ where: { tenantId_card: { tenantId, card: CARD } } });
  const age = snapshot ? now.getTime() - snapshot.computedAt.getTime() : Infinity;
  const sameDay = snapshot !== null && startOfUtcDay(snapshot.computedAt).getTime() === startOfUtcDay(now).getTime();
  const parsed = snapshot ? ZSnapshot.safeParse(snapshot.data) : null;
  if (parsed?.success && sameDay && age >= 0 && age < SNAPSHOT_MAX_AGE_MS) return { ...parsed.data, computedAt: snapshot.computedAt };
  return refreshOnlineDuration(db, tenantId, now);
}

/** The job: every organisation's card, one organisation at a time (each is one set-based query). Idempotent. */
export async function refreshAllOnlineDurations(db: TDatabase, now = new Date()): Promise<number> {
  const tenants = await db.tenant.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  for (const tenant of tenants) await refreshOnlineDuration(db, tenant.id, now);
  return tenants.length;
}
