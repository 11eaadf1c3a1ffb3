import { DEFAULT_SECURITY_POLICY, POLICY_LIMITS } from "@/server/auth/security-policy-schemas";

// Session limits come from each tenant's security policy (idle timeout and
// absolute lifetime). NIST SP 800-63B-4 AAL2 caps them: re-authenticate after
// at most 1 h of inactivity and at least every 24 h.
const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;

/** The defaults, for a tenant that never saved a policy. */
export const SESSION_ABSOLUTE_LIFETIME_MS = DEFAULT_SECURITY_POLICY.absoluteLifetimeHours * HOUR_MS;
export const SESSION_IDLE_TIMEOUT_MS = DEFAULT_SECURITY_POLICY.idleTimeoutMinutes * MINUTE_MS;
/** The longest any policy allows: the cookie's own lifetime (the session row decides sooner). */
export const SESSION_MAX_ABSOLUTE_LIFETIME_MS = POLICY_LIMITS.absoluteLifetimeHours.max * HOUR_MS;
/** last_seen_at is written at most this often, so reads stay cheap. */
export const SESSION_TOUCH_INTERVAL_MS = 60 * 1000;

/**
 * Why a session cannot be used (for anything but changing the password, or
 * setting up MFA the policy requires, in the last two cases: the session is
 * confined, not ended).
 */
export type TSessionEndReason =
  | "signed_out"
  | "revoked"
  | "expired"
  | "idle"
  | "account_blocked"
  | "password_changed"
  | "password_change_required"
  | "mfa_enrolment_required";

export type TSessionTimes = { createdAt: Date; lastSeenAt: Date; expiresAt: Date; revokedAt: Date | null };
export type TSessionLimits = { idleTimeoutMinutes: number; absoluteLifetimeHours: number };

const DEFAULT_LIMITS: TSessionLimits = DEFAULT_SECURITY_POLICY;

export const idleTimeoutMs = (limits: TSessionLimits) => limits.idleTimeoutMinutes * MINUTE_MS;
export const absoluteLifetimeMs = (limits: Pick<TSessionLimits, "absoluteLifetimeHours">) => limits.absoluteLifetimeHours * HOUR_MS;

/**
 * Why a session can no longer be used at `now`, or null when it is live. The
 * absolute lifetime is checked against the policy as it is now too, so that
 * shortening it also shortens sessions that are already open.
 */
export function sessionEndReason(
  session: TSessionTimes,
  now: Date,
  limits: TSessionLimits = DEFAULT_LIMITS,
): "revoked" | "expired" | "idle" | null {
  if (session.revokedAt) return "revoked";
  const expiresAt = Math.min(session.expiresAt.getTime(), session.createdAt.getTime() + absoluteLifetimeMs(limits));
  if (expiresAt <= now.getTime()) return "expired";
  if (now.getTime() - session.lastSeenAt.getTime() >= idleTimeoutMs(limits)) return "idle";
  return null;
}
