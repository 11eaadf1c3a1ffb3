// Session limits until the tenant security policy (sign-in security issue)
// makes them per tenant. NIST SP 800-63B-4 AAL2: re-authenticate at least
// every 24 h and after at most 1 h of inactivity.
export const SESSION_ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;
export const SESSION_IDLE_TIMEOUT_MS = 30 * 60 * 1000;
/** last_seen_at is written at most this often, so reads stay cheap. */
export const SESSION_TOUCH_INTERVAL_MS = 60 * 1000;

export type TSessionEndReason = "signed_out" | "revoked" | "expired" | "idle" | "account_blocked";

export type TSessionTimes = { createdAt: Date; lastSeenAt: Date; expiresAt: Date; revokedAt: Date | null };

/** Why a session can no longer be used at `now`, or null when it is live. */
export function sessionEndReason(session: TSessionTimes, now: Date): Exclude<TSessionEndReason, "signed_out" | "account_blocked"> | null {
  if (session.revokedAt) return "revoked";
  if (session.expiresAt.getTime() <= now.getTime()) return "expired";
  if (now.getTime() - session.lastSeenAt.getTime() >= SESSION_IDLE_TIMEOUT_MS) return "idle";
  return null;
}
