import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { revokeApplicationAccess } from "@/server/application-sessions/revoke-application-access";
import { findSignInApplication } from "@/server/application-members/find-sign-in-application";
import {
  ZEndApplicationSession,
  ZEndMyApplicationSession,
  type TEndApplicationSessionInput,
  type TEndMyApplicationSessionInput,
} from "@/server/application-members/schemas";
import { NotFoundError } from "@/server/errors";
import type { TActor } from "@/server/shared/actor";
import { assertAuthorityOver, type TAuthorityActor } from "@/server/shared/member-authority";

// "End session" at one application, by an admin for a member (the
// application's page) or by the member for themself (/me): their tokens and
// grant for its client are deleted (the next refresh is refused; a third-party
// application asks consent again), the client leaves their provider sessions,
// and the application is sent a back-channel logout token: the lifecycle's
// revocation, for one pair. The member stays signed in to Tenure.

const NO_SESSION = "There is no live session at this application to end";

/** An admin ends a member's session at an application; an owner's only by an owner. */
export async function endApplicationSession(db: TDatabase, actor: TActor & TAuthorityActor, rawInput: TEndApplicationSessionInput) {
  const input = ZEndApplicationSession.parse(rawInput);
  const memberId = BigInt(input.memberId);
  return db.$transaction(async (tx) => {
    const application = await findSignInApplication(tx, actor.tenantId, BigInt(input.applicationId));
    const member = await tx.user.findFirst({ where: { id: memberId, tenantId: actor.tenantId }, select: { fullName: true } });
    if (!member) throw new NotFoundError("Member not found");
    await assertAuthorityOver(tx, actor, [memberId]);
    const [revoked] = await revokeApplicationAccess(tx, { tenantId: actor.tenantId, userIds: [memberId], applicationIds: [application.id], cause: "sessions_revoked" });
    if (!revoked) throw new NotFoundError(NO_SESSION);
    await recordAuditEvent(tx, actor, {
      action: "application.session_ended",
      targetType: "application",
      targetId: application.id,
      changes: { session: { before: member.fullName, after: null } },
    });
    return { tokensRevoked: revoked.tokensRevoked, logoutsQueued: revoked.logoutsQueued };
  });
}

/** The signed-in member ends their own session at an application (cause member_signed_out). */
export async function endMyApplicationSession(db: TDatabase, actor: TActor & { memberId: bigint }, rawInput: TEndMyApplicationSessionInput) {
  const input = ZEndMyApplicationSession.parse(rawInput);
  return db.$transaction(async (tx) => {
    const application = await findSignInApplication(tx, actor.tenantId, BigInt(input.applicationId));
    const [revoked] = await revokeApplicationAccess(tx, { tenantId: actor.tenantId, userIds: [actor.memberId], applicationIds: [application.id], cause: "member_signed_out" });
    if (!revoked) throw new NotFoundError(NO_SESSION);
    await recordAuditEvent(tx, actor, {
      action: "member.application_session_ended",
      targetType: "member",
      targetId: actor.memberId,
      changes: { application: { before: application.name, after: null } },
    });
    return { tokensRevoked: revoked.tokensRevoked, logoutsQueued: revoked.logoutsQueued };
  });
}
