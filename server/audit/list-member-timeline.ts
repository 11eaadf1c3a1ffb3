import type { TDatabase } from "@/server/db/client";
import { ZTimelineInput } from "@/server/members/schemas";
import type { z } from "zod";

type TRow = { id: bigint; action: string; changes: unknown; created_at: Date; actor_id: bigint | null; actor_name: string | null; ip_address: string | null };

/** A member's audit events, newest first, one keyset page at a time, with each actor's name in the same query. */
export async function listMemberTimeline(db: TDatabase, tenantId: bigint, rawInput: z.input<typeof ZTimelineInput>) {
  const { memberId, limit, cursor } = ZTimelineInput.parse(rawInput);
  const rows = await db.$queryRaw<TRow[]>`
    SELECT e.id, e.action, e.changes, e.created_at, e.actor_id, a.full_name AS actor_name, e.ip_address
    FROM audit_events e
    LEFT JOIN users a ON a.id = e.actor_id AND a.tenant_id = e.tenant_id
    WHERE e.tenant_id = ${tenantId} AND e.target_type = 'member' AND e.target_id = ${BigInt(memberId)}
      AND (${cursor ?? null}::bigint IS NULL OR e.id < ${cursor ?? null}::bigint)
    ORDER BY e.id DESC
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({
      id: row.id.toString(),
      action: row.action,
      changes: row.changes as Record<string, { before: unknown; after: unknown }>,
      at: row.created_at,
      actorName: row.actor_name ?? (row.actor_id ? `member #${row.actor_id}` : "system"),
      ipAddress: row.ip_address,
    })),
    nextCursor: rows.length > limit ? (page.at(-1)?.id.toString() ?? null) : null,
  };
}
