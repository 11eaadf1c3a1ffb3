import type { TDatabaseOrTransaction } from "@/server/db/client";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { ForbiddenError } from "@/server/errors";

/** Who acts, as far as authority goes: the tenant and the actor's role level (jobs act with the system's). */
export type TAuthorityActor = { tenantId: bigint; sysAdmin: number };

export const OWNER_ONLY_MESSAGE = "Only an owner may act on an owner's account";

/**
 * "Only an owner acts on an owner": an owner's account (any field, its
 * sessions, its invitation, its two-step verification, its status) is
 * changed only by an owner, because whoever controls an owner's email or
 * sessions controls the organisation. The one rule, for callers that already
 * hold the target's level (set-based paths, the lifecycle).
 */
export function ownerAuthorityRefusal(actor: { sysAdmin: number }, target: { sysAdmin: number }): string | null {
  return target.sysAdmin >= SYSTEM_ROLE.owner && actor.sysAdmin < SYSTEM_ROLE.owner ? OWNER_ONLY_MESSAGE : null;
}

/**
 * Throws ForbiddenError unless the actor has authority over every member
 * named. Call it inside the change's transaction after locking the rows, so a
 * role granted in between is seen. Members of other tenants are ignored here
 * (the caller's own lookup reports them as not found).
 */
export async function assertAuthorityOver(db: TDatabaseOrTransaction, actor: TAuthorityActor, targetMemberIds: readonly bigint[]): Promise<void> {
  if (targetMemberIds.length === 0 || actor.sysAdmin >= SYSTEM_ROLE.owner) return;
  const [owner] = await db.$queryRaw<{ id: bigint }[]>`
    SELECT id FROM users WHERE tenant_id = ${actor.tenantId} AND id = ANY(${[...targetMemberIds]}::bigint[]) AND sys_admin >= ${SYSTEM_ROLE.owner} LIMIT 1`;
  if (owner) throw new ForbiddenError(OWNER_ONLY_MESSAGE);
}
