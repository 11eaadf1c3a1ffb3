import type { TDatabase } from "@/server/db/client";
import type { TAbnormalReason } from "@/server/auth/abnormal-login";
import { lockoutDuration } from "@/server/auth/lockout";
import { LOGIN_REASON, recordLoginAttempt, type TLoginAttempt } from "@/server/auth/login-attempts";
import type { TSecurityPolicy } from "@/server/auth/security-policy-schemas";
import { recordAbnormalSignIn } from "@/server/auth/sign-in-audit-events";
import { lockMember } from "@/server/lifecycle/lock-member";

const REASON_TEXT: Record<TAbnormalReason, string> = {
  new_device: "a new device",
  unusual_frequency: "unusually frequent sign-ins",
};

/**
 * The tenant's policy says "lock" and a sign-in with the right password looked
 * abnormal: it is refused, recorded as blocked, and the member locked (sessions
 * ended, auto-unlock after the policy's first lockout duration) in one transaction.
 */
export async function lockAfterAbnormalLogin(
  db: TDatabase,
  attempt: Omit<TLoginAttempt, "result" | "reason" | "abnormalReasons"> & { tenantId: bigint; userId: bigint; reservationId: bigint | null },
  reasons: readonly TAbnormalReason[],
  policy: TSecurityPolicy,
  now: Date,
): Promise<Date> {
  const until = new Date(now.getTime() + lockoutDuration(policy, 0));
  await db.$transaction(async (tx) => {
    await recordLoginAttempt(tx, { ...attempt, result: "blocked", reason: LOGIN_REASON.abnormalLogin, abnormalReasons: reasons }, now, attempt.reservationId);
    await lockMember(tx, { tenantId: attempt.tenantId, memberId: null, ...attempt.client }, {
      memberId: attempt.userId,
      reason: `Abnormal sign-in: ${reasons.map((reason) => REASON_TEXT[reason]).join(", ")}`,
      lockEndDate: until,
    });
    await recordAbnormalSignIn(tx, { tenantId: attempt.tenantId, memberId: attempt.userId }, attempt.client, reasons, "locked");
  });
  return until;
}
