import type { TDatabase } from "@/server/db/client";
import { findSignInAccount } from "@/server/auth/find-sign-in-account";
import { stepUp, type TOwnPasswordCheck } from "@/server/auth/step-up";
import type { TStepUpInput } from "@/server/auth/mfa/schemas";
import type { TActor } from "@/server/shared/actor";
import { ValidationError } from "@/server/errors";
import { verifySignInPassword } from "@/server/sign-in/verify-sign-in-password";

/**
 * A signed-in member's password, checked as sign-in checks it: by LDAP bind
 * for a member of a bind directory, else against their hash. An unreachable
 * directory is an error the member can act on, never a yes.
 */
export function ownPasswordCheck(db: TDatabase, tenantId: bigint, memberId: bigint): TOwnPasswordCheck {
  return async (password) => {
    const [row] = await db.$queryRaw<{ slug: string; username: string }[]>`
      SELECT t.slug, u.username::text FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = ${memberId} AND u.tenant_id = ${tenantId}`;
    const found = row ? await findSignInAccount(db, row.slug, row.username) : null;
    const member = found?.member?.id === memberId ? found.member : null;
    const checked = await verifySignInPassword(db, tenantId, member, password);
    if (checked === "unreachable") throw new ValidationError("Your organisation's directory cannot be reached right now; try again shortly, or use a code from your authenticator", { secret: ["The directory cannot be reached right now"] });
    return checked === "right";
  };
}

/** "Confirm it's you" with the member's password checked where it lives (the API's procedure and the enrolment page's action). */
export function stepUpWithOwnPassword(db: TDatabase, actor: TActor & { memberId: bigint; sessionId: string }, input: TStepUpInput) {
  return stepUp(db, actor, input, new Date(), ownPasswordCheck(db, actor.tenantId, actor.memberId));
}
