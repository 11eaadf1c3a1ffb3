import type { z } from "zod";
import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { revokeMemberSessions } from "@/server/auth/sessions";
import { NotFoundError } from "@/server/errors";
import { lockMember } from "@/server/lifecycle/lock-member";
import { ZReportNotMe } from "@/server/self-service/schemas";

export const REPORTED_NOT_ME_REASON = "The member reported a sign-in they did not make";

/**
 * "This wasn't me" on a sign-in of the member's own history: at once, in one
 * transaction, the account is locked (through the lifecycle: only an admin
 * unlocks it), every session ends, this one too, and a high-risk audit event
 * names the attempt for the admins.
 */
export async function reportNotMe(db: TDatabase, self: TActor & { memberId: bigint }, rawInput: z.input<typeof ZReportNotMe>, now = new Date()) {
  const attemptId = BigInt(ZReportNotMe.parse(rawInput).attemptId);
  const attempt = await db.loginAttempt.findFirst({
    where: { id: attemptId, userId: self.memberId, tenantId: self.tenantId },
    select: { createdAt: true, ipAddress: true, device: true, result: true, abnormal: true },
  });
  if (!attempt) throw new NotFoundError("No such sign-in in your history");
  return db.$transaction(async (tx) => {
    await lockMember(tx, self, { memberId: self.memberId, reason: REPORTED_NOT_ME_REASON, lockEndDate: null });
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
