import type { TTransaction } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import type { TClientInfo } from "@/server/shared/actor";

// Sign-in facts that the audit trail records so that alerts (issue 12) can
// follow them to an audit event: a throttle that started on a member's
// account, and an abnormal sign-in (allowed, or refused with a lock). Each is
// rare; the ordinary sign-in writes no audit event.

/** The throttle just started on a member's account; the actor is unknown (whoever guessed). */
export async function recordThrottleStarted(tx: TTransaction, memberId: bigint, client: TClientInfo, throttle: { familiar: boolean; until: Date }): Promise<void> {
  const member = await tx.user.findUnique({ where: { id: memberId }, select: { tenantId: true } });
  if (!member) return;
  await recordAuditEvent(tx, { tenantId: member.tenantId, memberId: null, ...client }, {
    action: "member.sign_in_throttled",
    targetType: "member",
    targetId: memberId,
    changes: { until: { before: null, after: throttle.until.toISOString() }, familiar: { before: null, after: throttle.familiar } },
  });
}

/** A sign-in with the right password that looked abnormal: the member is the actor. */
export async function recordAbnormalSignIn(
  tx: TTransaction,
  member: { tenantId: bigint; memberId: bigint },
  client: TClientInfo,
  reasons: readonly string[],
  outcome: "allowed" | "locked",
): Promise<void> {
  if (reasons.length === 0) return;
  await recordAuditEvent(tx, { ...member, ...client }, {
    action: "member.abnormal_sign_in",
    targetType: "member",
    targetId: member.memberId,
    changes: { reasons: { before: null, after: [...reasons] }, outcome: { before: null, after: outcome } },
  });
}
