import type { z } from "zod";
import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { deviceFamily } from "@/server/auth/client-device";
import { listMemberSessions } from "@/server/auth/member-sessions";
import { revokeMemberSessions, revokeSession } from "@/server/auth/sessions";
import { InvalidTransitionError, NotFoundError } from "@/server/errors";
import { ZMySession, ZMySessionsInput } from "@/server/self-service/schemas";

type TSelf = TActor & { memberId: bigint; sessionId: string };

/** The member's own open sessions (device, address, last seen), newest first; the current one is marked. */
export function listMySessions(db: TDatabase, self: TSelf, rawInput: z.input<typeof ZMySessionsInput>) {
  const input = ZMySessionsInput.parse(rawInput);
  return listMemberSessions(db, self.tenantId, self.sessionId, { ...input, memberId: self.memberId.toString() });
}

/** The member signs out one of their other browsers: it is refused on its very next request. */
export async function revokeMySession(db: TDatabase, self: TSelf, rawInput: z.input<typeof ZMySession>, now = new Date()) {
  const { sessionId } = ZMySession.parse(rawInput);
  if (sessionId === self.sessionId) throw new InvalidTransitionError("This is the session you are using: sign out instead");
  return db.$transaction(async (tx) => {
    const session = await tx.session.findFirst({ where: { id: sessionId, userId: self.memberId, tenantId: self.tenantId }, select: { ipAddress: true, userAgent: true } });
    if (!session || !(await revokeSession(tx, sessionId, "revoked", now))) throw new NotFoundError("This session has already ended");
    const ended = `${deviceFamily(session.userAgent) ?? "Unknown device"}${session.ipAddress ? ` (${session.ipAddress})` : ""}`;
    await recordAuditEvent(tx, self, { action: "member.own_session_ended", targetType: "member", targetId: self.memberId, changes: { session: { before: ended, after: null } } });
    return { revoked: 1 };
  });
}

/** The member signs out everywhere but here. */
export async function revokeMyOtherSessions(db: TDatabase, self: TSelf, now = new Date()) {
  return db.$transaction(async (tx) => {
    const revoked = await revokeMemberSessions(tx, self.memberId, "revoked", now, self.sessionId);
    if (revoked > 0) {
      await recordAuditEvent(tx, self, { action: "member.own_sessions_ended", targetType: "member", targetId: self.memberId, changes: { sessions: { before: revoked, after: 0 } } });
    }
    return { revoked };
  });
}
