import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";

// Every sign-in to an application through the issuer, completed or refused:
// one row for the application's recent sign-ins and one audit event, together.

export type TApplicationSignInReason = "holds_application" | "application_not_held";

export async function recordApplicationSignIn(
  database: TDatabase,
  input: {
    tenantId: bigint;
    applicationId: bigint;
    userId: bigint;
    outcome: "granted" | "refused";
    reason: TApplicationSignInReason;
    ipAddress: string | null;
    userAgent: string | null;
    clientId: string;
  },
): Promise<void> {
  await database.$transaction(async (tx) => {
    await tx.applicationSignIn.create({
      data: {
        tenantId: input.tenantId,
        applicationId: input.applicationId,
        userId: input.userId,
        outcome: input.outcome,
        reason: input.reason,
        ipAddress: input.ipAddress?.slice(0, 45) ?? null,
      },
    });
    await recordAuditEvent(
      tx,
      { tenantId: input.tenantId, memberId: input.userId, ipAddress: input.ipAddress, userAgent: input.userAgent },
      {
        action: input.outcome === "granted" ? "application.signed_in" : "application.sign_in_refused",
        targetType: "application",
        targetId: input.applicationId,
        changes: { member: { before: null, after: input.userId.toString() }, clientId: { before: null, after: input.clientId }, reason: { before: null, after: input.reason } },
      },
    );
  });
}
