import type { TTransaction } from "@/server/db/client";
import { LOGIN_REASON } from "@/server/auth/login-attempts";
import type { TSecurityPolicy } from "@/server/auth/security-policy-schemas";
import { absoluteLifetimeMs } from "@/server/auth/session-policy";
import type { TClientInfo } from "@/server/shared/actor";
import { recordAbnormalSignIn } from "@/server/auth/sign-in-audit-events";

// A sign-in that passed every check, written in ONE statement: the gate's
// reservation becomes the success row of the login history (as
// recordLoginAttempt would settle it), the session opens (as createSession
// would open it) and the member goes online. Three round trips were a good
// part of the sign-in's CPU (scripts/bench-http.ts); keep the three in step
// with those two functions.

export type TSignInRecord = {
  reservationId: bigint;
  tenantId: bigint;
  userId: bigint;
  client: TClientInfo;
  abnormalReasons: readonly string[];
  passwordChangeRequired: boolean;
  policy: Pick<TSecurityPolicy, "absoluteLifetimeHours">;
};

/** Call inside the transaction that settled the gate (settleSuccess). Returns the new session's id. */
export async function recordSignIn(tx: TTransaction, sign: TSignInRecord, now: Date): Promise<string> {
  const abnormal = sign.abnormalReasons.length > 0;
  const abnormalReason = abnormal ? sign.abnormalReasons.join(",").slice(0, 100) : null;
  const expiresAt = new Date(now.getTime() + absoluteLifetimeMs(sign.policy));
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    WITH opened AS (
      -- Sessions open at sign-in, which proved the password: that counts as a step-up.
      INSERT INTO sessions (tenant_id, user_id, created_at, last_seen_at, stepped_up_at, expires_at, ip_address, user_agent)
      VALUES (${sign.tenantId}, ${sign.userId}, ${now}, ${now}, ${now}, ${expiresAt},
              ${sign.client.ipAddress?.slice(0, 45) ?? null}, ${sign.client.userAgent?.slice(0, 512) ?? null})
      RETURNING id
    ), settled AS (
      UPDATE login_attempts
      SET result = 'success', reason = ${LOGIN_REASON.signedIn}, abnormal = ${abnormal}, abnormal_reason = ${abnormalReason}, lockout_until = NULL,
          session_id = (SELECT id FROM opened)
      WHERE id = ${sign.reservationId}
    ), online AS (
      -- Raw SQL: signing in is not an edit of the member record, so its lastModifiedDate stays.
      UPDATE users SET online = true, online_at = ${now}, password_change_required = ${sign.passwordChangeRequired}
      WHERE id = ${sign.userId}
    )
    SELECT id::text FROM opened`;
  // Rare, and alerted (issue 12): the one sign-in that also writes an audit event.
  if (abnormal) await recordAbnormalSignIn(tx, { tenantId: sign.tenantId, memberId: sign.userId }, sign.client, sign.abnormalReasons, "allowed");
  return row!.id;
}
