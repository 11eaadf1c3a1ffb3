import { z } from "zod";
import { Prisma } from "@/server/db/generated/client";
import type { TDatabase } from "@/server/db/client";
import { ZEntityId } from "@/server/ids";

// A plain object: infinite queries add fields of their own.
export const ZOutboxInput = z.object({
  limit: z.number().int().min(1).max(100).default(30),
  /** Keyset: the id of the last mail of the previous page (newest first). */
  cursor: ZEntityId("Invalid cursor").nullish(),
});

/** The tenant's mail, newest first: what was sent, or held for reading when no SMTP relay is set. */
export async function listOutbox(db: TDatabase, tenantId: bigint, rawInput: z.input<typeof ZOutboxInput>) {
  const input = ZOutboxInput.parse(rawInput);
  const rows = await db.$queryRaw<{ id: bigint; kind: string; to_address: string; subject: string; body_text: string; status: string; attempts: number; last_error: string | null; created_at: Date; sent_at: Date | null }[]>`
    SELECT id, kind, to_address, subject, body_text, status, attempts, last_error, created_at, sent_at
    FROM outbox_mails
    WHERE tenant_id = ${tenantId} ${input.cursor ? Prisma.sql`AND id < ${BigInt(input.cursor)}` : Prisma.empty}
    ORDER BY id DESC LIMIT ${input.limit + 1}`;
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((row) => ({
      id: row.id.toString(),
      kind: row.kind,
      to: row.to_address,
      subject: row.subject,
      body: row.body_text,
      status: row.status,
      attempts: row.attempts,
      lastError: row.last_error,
      createdAt: row.created_at,
      sentAt: row.sent_at,
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id.toString() ?? null) : null,
  };
}
