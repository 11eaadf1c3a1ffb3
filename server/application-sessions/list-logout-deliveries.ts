import type { TDatabaseOrTransaction } from "@/server/db/client";
import type { TLogoutCause } from "@/server/application-sessions/revoke-application-access";
import type { TLogoutStatus } from "@/server/application-sessions/receipt-applications";

// An application's page: its back-channel logouts, failures first (given up,
// then still being retried), then the latest, a keyset page at a time.

export type TLogoutDeliveryLine = {
  id: string;
  memberId: string;
  memberName: string;
  cause: TLogoutCause;
  status: TLogoutStatus;
  attempts: number;
  httpStatus: number | null;
  error: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
};

const RANK = { failed: 0, pending: 1, delivered: 2, not_required: 3 } as const satisfies Record<TLogoutStatus, number>;

/** `cursor`: the last line's id of the previous page. Lines of another organisation's application are never read. */
export async function listLogoutDeliveries(
  db: TDatabaseOrTransaction,
  tenantId: bigint,
  applicationId: bigint,
  options: { limit?: number; cursor?: string | null } = {},
): Promise<{ items: TLogoutDeliveryLine[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const cursor = options.cursor && /^[1-9][0-9]{0,18}$/.test(options.cursor) ? BigInt(options.cursor) : null;
  const rows = await db.$queryRaw<
    { id: bigint; user_id: bigint; full_name: string; cause: TLogoutCause; status: TLogoutStatus; attempts: number; last_http_status: number | null; last_error: string | null; created_at: Date; delivered_at: Date | null; rank: number }[]
  >`
    WITH ranked AS (
      SELECT d.*, CASE d.status WHEN 'failed' THEN ${RANK.failed} WHEN 'pending' THEN ${RANK.pending} WHEN 'delivered' THEN ${RANK.delivered} ELSE ${RANK.not_required} END AS rank
      FROM application_logout_deliveries d
      WHERE d.tenant_id = ${tenantId} AND d.application_id = ${applicationId} AND d.status <> 'not_required')
    SELECT r.id, r.user_id, u.full_name, r.cause, r.status, r.attempts, r.last_http_status, r.last_error, r.created_at, r.delivered_at, r.rank
    FROM ranked r JOIN users u ON u.id = r.user_id
    WHERE ${cursor}::bigint IS NULL OR (r.rank, -r.id) > (SELECT rank, -id FROM ranked WHERE id = ${cursor}::bigint)
    ORDER BY r.rank, r.id DESC
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({
      id: row.id.toString(),
      memberId: row.user_id.toString(),
      memberName: row.full_name,
      cause: row.cause,
      status: row.status,
      attempts: row.attempts,
      httpStatus: row.last_http_status,
      error: row.last_error,
      createdAt: row.created_at,
      deliveredAt: row.delivered_at,
    })),
    nextCursor: rows.length > limit ? (page.at(-1)?.id.toString() ?? null) : null,
  };
}
