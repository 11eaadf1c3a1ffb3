import type { z } from "zod";
import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { revokeMemberSessions } from "@/server/auth/sessions";
import { InvalidTransitionError, NotFoundError } from "@/server/errors";
import { lockMember } from "@/server/lifecycle/lock-member";
import { ZReportNotMe } from "@/server/self-service/schemas";

export const REPORTED_NOT_ME_REASON = "The member reported a sign-in they did not make";

/**
 * "This wasn't me" on a sign-in of the member's own history: at once, in one
 * transaction, the account is locked (through the lifecycle: only an admin
 * unlocks it), every session ends, this one too, and a high-risk audit event
 * names the attempt for the admins. Not the sign-in that opened the session
 * making the report: that one is the member's own browser.
 */
export async function reportNotMe(
  db: TDatabase,
  self: TActor & { memberId: bigint; sessionId?: string },
  rawInput: z.input<typeof ZReportNotMe>,
  now = new Date(),
) {
  const attemptId = BigInt(ZReportNotMe.parse(rawInput).attemptId);
  const attempt = await db.loginAttempt.findFirst({
    where: { id: attemptId, userId: self.memberId, tenantId: self.tenantId },
    select: { createdAt: true, ipAddress: true, device: true, result: true, abnormal: true, sessionId: true },
  });
  if (!attempt) throw new NotFoundError("No such sign-in in your history");
  if (self.sessionId && attempt.sessionId === self.sessionId) throw new InvalidTransitionError("That is the sign-in of the browser you are using now");
  return db.$transaction(async (tx) => {
    await lockMember(tx, self, { memberId: self.memberId, reason: REPORTED_NOT_ME_REASON, lockEndDate: null, applicationLogoutCause: "not_me" });
    // The lock ends the sessions already; this also covers any opened in a race with it.
    await revokeMemberSessions(tx, self.memberId, "account_blocked", now);
    await recordAuditEvent(tx, self, {
      action: "member.reported_not_me",
      targetType: "member",
      targetId: self.memberId,
      changes: {
        attempt: {
          before: null,
          after: { id: attemptId.toString(), at: attempt.createdAt, ipAddress: attempt.ipAddress, device: attempt.device, result: attempt.result, abnormal: attempt.abnormal },
        },
      },
    });
    return { locked: true as const };
  });
}
