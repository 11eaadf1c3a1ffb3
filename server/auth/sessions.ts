import type { TClientInfo } from "@/server/shared/actor";
import { z } from "zod";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import { canSignIn } from "@/server/auth/can-sign-in";
import { DEFAULT_SECURITY_POLICY as DEFAULT_LIMITS, type TSecurityPolicy } from "@/server/auth/security-policy-schemas";
import { getSecurityPolicy } from "@/server/auth/security-policy";
import { mfaRequiredFor } from "@/server/auth/mfa/mfa-requirement";
import { inTransaction, lockMembersPresence, markOfflineWithoutOpenSession } from "@/server/auth/member-presence";
import {
  absoluteLifetimeMs,
  SESSION_TOUCH_INTERVAL_MS,
  sessionEndReason,
  type TSessionEndReason,
  type TSessionLimits,
} from "@/server/auth/session-policy";

export type TSessionMember = { id: bigint; username: string; email: string; fullName: string; sysAdmin: number };
export type TSessionTenant = { id: bigint; slug: string; name: string };
export type TLiveSession = {
  sessionId: string;
  member: TSessionMember;
  tenant: TSessionTenant;
  /** Only with `allowPasswordChange`: the session may do nothing but change the password. */
  passwordChangeRequired: boolean;
};
/** Why a browser is not (fully) signed in; "password_change_required" and "mfa_enrolment_required" send it to the page that lifts the confinement. */
export type TSignedOutReason = TSessionEndReason | "unknown";
export type TSessionCheck = { live: true; session: TLiveSession } | { live: false; reason: TSignedOutReason };


const ZSessionId = z.uuid();

export async function createSession(
  db: TDatabaseOrTransaction,
  input: { tenantId: bigint; userId: bigint } & TClientInfo,
  now = new Date(),
  policy?: Pick<TSecurityPolicy, "absoluteLifetimeHours">,
): Promise<string> {
  const limits = policy ?? (await getSecurityPolicy(db, input.tenantId));
  const session = await db.session.create({
    data: {
      tenantId: input.tenantId,
      userId: input.userId,
      createdAt: now,
      lastSeenAt: now,
      // Sessions open at sign-in, which proved the password (and the code): that counts as a step-up.
      steppedUpAt: now,
      expiresAt: new Date(now.getTime() + absoluteLifetimeMs(limits)),
      ipAddress: input.ipAddress?.slice(0, 45) ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
    },
    select: { id: true },
  });
  return session.id;
}

type TSessionRow = {
  id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
  tenant_id: bigint;
  tenant_slug: string;
  tenant_name: string;
  user_id: bigint;
  username: string;
  email: string;
  full_name: string;
  sys_admin: number;
  enabled: boolean;
  locked: boolean;
  state: string;
  password_change_required: boolean;
  mfa_requirement: TSecurityPolicy["mfaRequirement"] | null;
  mfa_enabled: boolean;
  idle_timeout_minutes: number | null;
  absolute_lifetime_hours: number | null;
};

/**
 * The check behind every page request and every tRPC call: the session row
 * exists, is not revoked, expired or idle under its tenant's policy, and its
 * member may still sign in. One query (session, member, tenant and policy
 * joined), plus a write at most once a minute to record activity.
 *
 * A session whose member must change their password is not live for anything
 * but the change-password page, which asks with `allowPasswordChange`; then,
 * one whose member the policy requires to use MFA and who has none yet, for
 * anything but the MFA enrolment page (`allowMfaEnrolment`).
 */
export async function checkSession(
  db: TDatabaseOrTransaction,
  sessionId: string | null | undefined,
  now = new Date(),
  options: { allowPasswordChange?: boolean; allowMfaEnrolment?: boolean } = {},
): Promise<TSessionCheck> {
  if (!ZSessionId.safeParse(sessionId).success) return { live: false, reason: "unknown" };
  const [row] = await db.$queryRaw<TSessionRow[]>`
    SELECT s.id::text, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at, s.revoked_reason,
           t.id AS tenant_id, t.slug AS tenant_slug, t.name AS tenant_name,
           u.id AS user_id, u.username::text, u.email::text, u.full_name, u.sys_admin, u.enabled, u.locked, u.state, u.password_change_required,
           p.idle_timeout_minutes, p.absolute_lifetime_hours, p.mfa_requirement,
           EXISTS (SELECT 1 FROM member_mfa m WHERE m.user_id = u.id AND m.enabled_at IS NOT NULL) AS mfa_enabled
    FROM sessions s
    JOIN users u ON u.id = s.user_id
    JOIN tenants t ON t.id = s.tenant_id
    LEFT JOIN tenant_security_policies p ON p.tenant_id = s.tenant_id
    WHERE s.id = ${sessionId}::uuid`;
  if (!row) return { live: false, reason: "unknown" };
  // Checked first so a blocked member is told so on every request, not only the first after the block.
  if (!canSignIn(row)) {
    if (!row.revoked_at) await revokeSession(db, row.id, "account_blocked", now);
    return { live: false, reason: "account_blocked" };
  }
  const limits: TSessionLimits = {
    idleTimeoutMinutes: row.idle_timeout_minutes ?? DEFAULT_LIMITS.idleTimeoutMinutes,
    absoluteLifetimeHours: row.absolute_lifetime_hours ?? DEFAULT_LIMITS.absoluteLifetimeHours,
  };
  const ended = sessionEndReason({ createdAt: row.created_at, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at, revokedAt: row.revoked_at }, now, limits);
  // A password change ends the member's other sessions; those browsers are told why.
  if (ended === "revoked" && row.revoked_reason === "password_changed") return { live: false, reason: "password_changed" };
  if (ended) return { live: false, reason: ended };
  if (now.getTime() - row.last_seen_at.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
    await db.session.update({ where: { id: row.id }, data: { lastSeenAt: now } });
  }
  if (row.password_change_required && !options.allowPasswordChange) return { live: false, reason: "password_change_required" };
  // The password first: a member who must do both changes it, then sets up MFA.
  const mfaEnrolmentRequired = !row.mfa_enabled && mfaRequiredFor(row.mfa_requirement ?? "none", row.sys_admin);
  if (mfaEnrolmentRequired && !row.password_change_required && !options.allowMfaEnrolment) return { live: false, reason: "mfa_enrolment_required" };
  return {
    live: true,
    session: {
      sessionId: row.id,
      member: { id: row.user_id, username: row.username, email: row.email, fullName: row.full_name, sysAdmin: row.sys_admin },
      tenant: { id: row.tenant_id, slug: row.tenant_slug, name: row.tenant_name },
      passwordChangeRequired: row.password_change_required,
    },
  };
}

/**
 * Ends one session; its member goes offline in the same transaction when it
 * was their last open one (member-presence.ts says why the member's row is
 * locked first).
 */
export async function revokeSession(db: TDatabaseOrTransaction, sessionId: string, reason: TSessionEndReason, now = new Date()): Promise<boolean> {
  if (!ZSessionId.safeParse(sessionId).success) return false;
  return inTransaction(db, async (tx) => {
    const owner = await tx.session.findUnique({ where: { id: sessionId }, select: { userId: true } });
    if (!owner) return false;
    await lockMembersPresence(tx, [owner.userId]);
    const { count } = await tx.session.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: now, revokedReason: reason },
    });
    if (count > 0) await markOfflineWithoutOpenSession(tx, [owner.userId], now);
    return count > 0;
  });
}

/**
 * Ends every open session of a member at once (set-based), except `keep` (the
 * caller's own, when it asks); the member goes offline in the same
 * transaction unless a session is still open.
 */
export async function revokeMemberSessions(
  db: TDatabaseOrTransaction,
  userId: bigint,
  reason: TSessionEndReason,
  now = new Date(),
  keep?: string,
): Promise<number> {
  return inTransaction(db, async (tx) => {
    await lockMembersPresence(tx, [userId]);
    const { count } = await tx.session.updateMany({
      where: { userId, revokedAt: null, expiresAt: { gt: now }, ...(keep ? { id: { not: keep } } : {}) },
      data: { revokedAt: now, revokedReason: reason },
    });
    await markOfflineWithoutOpenSession(tx, [userId], now);
    return count;
  });
}
