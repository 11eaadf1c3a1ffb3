import type { z } from "zod";
import type { TDatabase, TDatabaseOrTransaction } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { deviceFamily } from "@/server/auth/client-device";
import { endedCondition } from "@/server/auth/session-ended-condition";
import { ZMemberSessionsInput, ZRevokeMemberSession, ZRevokeMemberSessions } from "@/server/auth/schemas";
import { revokeMemberSessions, revokeSession } from "@/server/auth/sessions";
import { NotFoundError } from "@/server/errors";
import { assertAuthorityOver, type TAuthorityActor } from "@/server/shared/member-authority";
import { revokeApplicationAccess } from "@/server/application-sessions/revoke-application-access";

type TSessionRow = { id: string; created_at: Date; last_seen_at: Date; ip_address: string | null; user_agent: string | null };

async function assertMemberOfTenant(db: TDatabaseOrTransaction, tenantId: bigint, memberId: bigint): Promise<void> {
  const member = await db.user.findFirst({ where: { id: memberId, tenantId }, select: { id: true } });
  if (!member) throw new NotFoundError("Member not found");
}

/** A member's open sessions (not revoked, expired or idle under the tenant's policy), newest first, a keyset page at a time. */
export async function listMemberSessions(db: TDatabase, tenantId: bigint, currentSessionId: string, rawInput: z.input<typeof ZMemberSessionsInput>, now = new Date()) {
  const { memberId, limit, cursor } = ZMemberSessionsInput.parse(rawInput);
  await assertMemberOfTenant(db, tenantId, BigInt(memberId));
  const rows = await db.$queryRaw<TSessionRow[]>`
    SELECT s.id::text, s.created_at, s.last_seen_at, s.ip_address, s.user_agent
    FROM sessions s
    LEFT JOIN tenant_security_policies p ON p.tenant_id = s.tenant_id
    WHERE s.user_id = ${BigInt(memberId)} AND s.tenant_id = ${tenantId} AND s.revoked_at IS NULL AND NOT ${endedCondition(now)}
      AND (${cursor ?? null}::uuid IS NULL OR (s.created_at, s.id) < (SELECT created_at, id FROM sessions WHERE id = ${cursor ?? null}::uuid))
    ORDER BY s.created_at DESC, s.id DESC
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({
      id: row.id,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      ipAddress: row.ip_address,
      device: deviceFamily(row.user_agent) ?? "Unknown device",
      userAgent: row.user_agent,
      current: row.id === currentSessionId,
    })),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** An admin ends one of a member's sessions: that browser is signed out on its next request. */
export async function revokeMemberSession(db: TDatabase, actor: TActor & TAuthorityActor, rawInput: z.input<typeof ZRevokeMemberSession>, now = new Date()) {
  const { memberId: id, sessionId } = ZRevokeMemberSession.parse(rawInput);
  const memberId = BigInt(id);
  return db.$transaction(async (tx) => {
    await assertMemberOfTenant(tx, actor.tenantId, memberId);
    await assertAuthorityOver(tx, actor, [memberId]);
    const session = await tx.session.findFirst({ where: { id: sessionId, userId: memberId }, select: { ipAddress: true, userAgent: true } });
    if (!session || !(await revokeSession(tx, sessionId, "revoked", now))) throw new NotFoundError("This session has already ended");
    // Which application sessions that browser opened is not recorded, so an admin ending one session signs the member out of every application.
    await revokeApplicationAccess(tx, { tenantId: actor.tenantId, userIds: [memberId], applicationIds: "all", cause: "sessions_revoked" });
    const ended = `${deviceFamily(session.userAgent) ?? "Unknown device"}${session.ipAddress ? ` (${session.ipAddress})` : ""}`;
    await recordAuditEvent(tx, actor, { action: "member.session_revoked", targetType: "member", targetId: memberId, changes: { session: { before: ended, after: null } } });
    return { revoked: 1 };
  });
}

/** An admin ends all of a member's sessions at once. */
export async function revokeAllMemberSessions(db: TDatabase, actor: TActor & TAuthorityActor, rawInput: z.input<typeof ZRevokeMemberSessions>, now = new Date()) {
  const memberId = BigInt(ZRevokeMemberSessions.parse(rawInput).memberId);
  return db.$transaction(async (tx) => {
    await assertMemberOfTenant(tx, actor.tenantId, memberId);
    await assertAuthorityOver(tx, actor, [memberId]);
    const revoked = await revokeMemberSessions(tx, memberId, "revoked", now);
    await revokeApplicationAccess(tx, { tenantId: actor.tenantId, userIds: [memberId], applicationIds: "all", cause: "sessions_revoked" });
    if (revoked > 0) {
      await recordAuditEvent(tx, actor, { action: "member.sessions_revoked", targetType: "member", targetId: memberId, changes: { sessions: { before: revoked, after: 0 } } });
    }
    return { revoked };
  });
}
