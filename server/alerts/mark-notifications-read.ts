import type { TDatabaseOrTransaction } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { ZNotificationId } from "@/server/alerts/schemas";
import type { z } from "zod";

// Reading is the recipient's own business: only their notifications match
// (another member's id is "not found", never "forbidden": ids reveal nothing).
// Marking is idempotent: the first read time stays, a parallel burst is harmless.

export async function markNotificationRead(db: TDatabaseOrTransaction, tenantId: bigint, memberId: bigint, rawInput: z.input<typeof ZNotificationId>) {
  const { notificationId } = ZNotificationId.parse(rawInput);
  const updated = await db.$executeRaw`
    UPDATE notifications SET read_at = coalesce(read_at, now())
    WHERE id = ${BigInt(notificationId)} AND tenant_id = ${tenantId} AND recipient_id = ${memberId}`;
  if (updated === 0) throw new NotFoundError("Notification not found");
  return { read: true };
}

export async function markAllNotificationsRead(db: TDatabaseOrTransaction, tenantId: bigint, memberId: bigint) {
  const marked = await db.$executeRaw`
    UPDATE notifications SET read_at = now() WHERE tenant_id = ${tenantId} AND recipient_id = ${memberId} AND read_at IS NULL`;
  return { marked };
}
