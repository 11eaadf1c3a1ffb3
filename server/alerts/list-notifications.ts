import { Prisma } from "@/server/db/generated/client";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import { ZNotificationList, type TNotificationListInput } from "@/server/alerts/schemas";
import { decodeKeysetCursor, encodeKeysetCursor, ZCursorId } from "@/server/validation/cursor";
import { z } from "zod";

// The notification centre: a member's own notifications only (every query is
// keyed by tenant AND recipient), newest first, keyset pages on the id.

const ZCursor = z.tuple([ZCursorId]);

export type TNotification = { id: string; auditEventId: string; eventClass: string; title: string; body: string; createdAt: Date; readAt: Date | null };

export async function listNotifications(db: TDatabaseOrTransaction, tenantId: bigint, memberId: bigint, rawInput: TNotificationListInput) {
  const input = ZNotificationList.parse(rawInput);
  const conditions = [Prisma.sql`tenant_id = ${tenantId}`, Prisma.sql`recipient_id = ${memberId}`];
  if (input.cursor) conditions.push(Prisma.sql`id < ${BigInt(decodeKeysetCursor(input.cursor, ZCursor)[0])}`);
  if (input.unreadOnly) conditions.push(Prisma.sql`read_at IS NULL`);
  const rows = await db.$queryRaw<{ id: bigint; audit_event_id: bigint; event_class: string; title: string; body: string; created_at: Date; read_at: Date | null }[]>`
    SELECT id, audit_event_id, event_class, title, body, created_at, read_at FROM notifications
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY id DESC LIMIT ${input.limit + 1}`;
  const page = rows.slice(0, input.limit);
  const items: TNotification[] = page.map((row) => ({
    id: row.id.toString(),
    auditEventId: row.audit_event_id.toString(),
    eventClass: row.event_class,
    title: row.title,
    body: row.body,
    createdAt: row.created_at,
    readAt: row.read_at,
  }));
  const last = page.at(-1);
  return { items, nextCursor: rows.length > input.limit && last ? encodeKeysetCursor([last.id.toString()]) : null };
}

/** How many of the member's notifications are unread (the bell; the status overview's pending alerts). */
export async function countUnreadNotifications(db: TDatabaseOrTransaction, tenantId: bigint, memberId: bigint): Promise<number> {
  const [row] = await db.$queryRaw<{ count: bigint }[]>`
    SELECT count(*) FROM notifications WHERE tenant_id = ${tenantId} AND recipient_id = ${memberId} AND read_at IS NULL`;
  return Number(row?.count ?? 0);
}
