import type { TDatabase } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import type { TLoginResult } from "@/server/auth/login-attempts";

type TRow = {
  id: bigint;
  created_at: Date;
  login: string;
  ip_address: string | null;
  device: string | null;
  user_agent: string | null;
  result: TLoginResult;
  reason: string;
  abnormal: boolean;
  abnormal_reason: string | null;
  lockout_until: Date | null;
  this_session: boolean;
};

/**
 * A member's sign-in attempts, newest first, a keyset page at a time (the
 * index on user_id, created_at, id serves it). For admins on the member page,
 * and for the member themself, whose `currentSessionId` marks the sign-in
 * that opened the session in use (`thisBrowser`: nothing to report there).
 */
export async function listLoginHistory(
  db: TDatabase,
  tenantId: bigint,
  input: { memberId: bigint; limit: number; cursor?: string | null; currentSessionId?: string | null },
) {
  const member = await db.user.findFirst({ where: { id: input.memberId, tenantId }, select: { id: true } });
  if (!member) throw new NotFoundError("Member not found");
  const cursor = input.cursor ? BigInt(input.cursor) : null;
  const rows = await db.$queryRaw<TRow[]>`
    SELECT a.id, a.created_at, a.login::text, a.ip_address, a.device, a.user_agent, a.result, a.reason, a.abnormal, a.abnormal_reason, a.lockout_until,
           COALESCE(a.session_id = ${input.currentSessionId ?? null}::uuid, false) AS this_session
    FROM login_attempts a
    WHERE a.user_id = ${input.memberId}
      AND (${cursor}::bigint IS NULL OR (a.created_at, a.id) < (SELECT created_at, id FROM login_attempts WHERE id = ${cursor}::bigint AND user_id = ${input.memberId}))
    ORDER BY a.created_at DESC, a.id DESC
    LIMIT ${input.limit + 1}`;
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((row) => ({
      id: row.id.toString(),
      at: row.created_at,
      login: row.login,
      ipAddress: row.ip_address,
      device: row.device ?? "Unknown device",
      result: row.result,
      reason: row.reason,
      abnormal: row.abnormal,
      abnormalReasons: row.abnormal_reason ? row.abnormal_reason.split(",") : [],
      lockoutUntil: row.lockout_until,
      thisBrowser: row.this_session,
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id.toString() ?? null) : null,
  };
}
