import { stateAllowsSignIn } from "@/server/shared/member-states";

/**
 * The one rule for "this member may be signed in": only an active member (not
 * pending, locked, disabled, resigned, archived or deleted). enabled and
 * locked are derived from the state in the database; checked as well so a
 * stale copy of the row fails closed.
 */
export function canSignIn(member: { enabled: boolean; locked: boolean; state: string }): boolean {
  return member.enabled && !member.locked && stateAllowsSignIn(member.state);
}
