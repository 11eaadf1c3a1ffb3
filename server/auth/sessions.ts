import { z } from "zod";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import { canSignIn } from "@/server/auth/can-sign-in";
import {
  SESSION_ABSOLUTE_LIFETIME_MS,
  SESSION_TOUCH_INTERVAL_MS,
  sessionEndReason,
  type TSessionEndReason,
} from "@/server/auth/session-policy";

export type TSessionMember = { id: bigint; username: string; email: string; fullName: string; sysAdmin: number };
export type TSessionTenant = { id: bigint; slug: string; name: string };
export type TLiveSession = { sessionId: string; member: TSessionMember; tenant: TSessionTenant };
export type TSessionCheck = { live: true; session: TLiveSession } | { live: false; reason: TSessionEndReason | "unknown" };

export type TClientInfo = { ipAddress?: string | null; userAgent?: string | null };

const ZSessionId = z.uuid();

export async function createSession(
  db: TDatabaseOrTransaction,
  input: { tenantId: bigint; userId: bigint } & TClientInfo,
  now = new Date(),
): Promise<string> {
  const session = await db.session.create({
    data: {
      tenantId: input.tenantId,
      userId: input.userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_LIFETIME_MS),
      ipAddress: input.ipAddress?.slice(0, 45) ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
    },
    select: { id: true },
  });
  return session.id;
}

/**
 * The check behind every page request and every tRPC call: the session row
 * exists, is not revoked, expired or idle, and its member may still sign in.
 */
export async function checkSession(db: TDatabaseOrTransaction, sessionId: string | null | undefined, now = new Date()): Promise<TSessionCheck> {
  if (!ZSessionId.safeParse(sessionId).success) return { live: false, reason: "unknown" };
  const row = await db.session.findUnique({
    where: { id: sessionId as string },
    select: {
      id: true,
      createdAt: true,
      lastSeenAt: true,
      expiresAt: true,
      revokedAt: true,
      tenant: { select: { id: true, slug: true, name: true } },
      user: { select: { id: true, username: true, email: true, fullName: true, sysAdmin: true, enabled: true, locked: true } },
    },
  });
  if (!row) return { live: false, reason: "unknown" };
  // Checked first so a blocked member is told so on every request, not only the first after the block.
  if (!canSignIn(row.user)) {
    if (!row.revokedAt) await revokeSession(db, row.id, "account_blocked", now);
    return { live: false, reason: "account_blocked" };
  }
  const ended = sessionEndReason(row, now);
  if (ended) return { live: false, reason: ended };
  if (now.getTime() - row.lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
    await db.session.update({ where: { id: row.id }, data: { lastSeenAt: now } });
  }
  const { enabled: _enabled, locked: _locked, ...member } = row.user;
  return { live: true, session: { sessionId: row.id, member, tenant: row.tenant } };
}

export async function revokeSession(db: TDatabaseOrTransaction, sessionId: string, reason: TSessionEndReason, now = new Date()): Promise<boolean> {
  if (!ZSessionId.safeParse(sessionId).success) return false;
  const { count } = await db.session.updateMany({
    where: { id: sessionId, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  return count > 0;
}

/** Ends every open session of a member at once (set-based). */
export async function revokeMemberSessions(db: TDatabaseOrTransaction, userId: bigint, reason: TSessionEndReason, now = new Date()): Promise<number> {
  const { count } = await db.session.updateMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now, revokedReason: reason },
  });
  return count;
}
