import { z } from "zod";
import { Prisma } from "@/server/db/generated/client";
import type { TDatabase } from "@/server/db/client";
import { decodeKeysetCursor, ZCursorId, ZCursorTime } from "@/server/validation/cursor";
import { ZRecycleBinInput } from "@/server/lifecycle/schemas";

const ZCursor = z.tuple([ZCursorTime, ZCursorId]);

function decode(cursor: string): { deletedAt: Date; userId: bigint } {
  const [deletedAt, userId] = decodeKeysetCursor(cursor, ZCursor);
  return { deletedAt: new Date(deletedAt), userId: BigInt(userId) };
}

/** The tenant's soft-deleted members, newest first, by keyset. */
export async function listRecycleBin(db: TDatabase, tenantId: bigint, rawInput: z.input<typeof ZRecycleBinInput>) {
  const input = ZRecycleBinInput.parse(rawInput);
  const after = input.cursor ? decode(input.cursor) : null;
  const rows = await db.$queryRaw<{ user_id: bigint; full_name: string; username: string; email: string; state_before: string; deleted_at: Date; hard_delete_at: Date; deleted_by_name: string | null }[]>`
    SELECT b.user_id, u.full_name, u.username::text AS username, u.email::text AS email, b.state_before, b.deleted_at, b.hard_delete_at, d.full_name AS deleted_by_name
    FROM member_recycle_bin b
    JOIN users u ON u.id = b.user_id
    LEFT JOIN users d ON d.id = b.deleted_by
    WHERE b.tenant_id = ${tenantId}
      ${after ? Prisma.sql`AND (b.deleted_at, b.user_id) < (${after.deletedAt}, ${after.userId})` : Prisma.empty}
    ORDER BY b.deleted_at DESC, b.user_id DESC
    LIMIT ${input.limit + 1}`;
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      memberId: row.user_id.toString(),
      fullName: row.full_name,
      username: row.username,
      email: row.email,
      stateBefore: row.state_before,
      deletedAt: row.deleted_at,
      hardDeleteAt: row.hard_delete_at,
      deletedBy: row.deleted_by_name,
    })),
    nextCursor:
      rows.length > input.limit && last ? Buffer.from(JSON.stringify([last.deleted_at.toISOString(), last.user_id.toString()])).toString("base64url") : null,
  };
}
