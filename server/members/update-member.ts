import type { TDatabaseOrTransaction } from "@/server/db/client";
import { inTransaction, isTransaction } from "@/server/db/in-transaction";
import { diffFields, recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { ARCHIVED_READ_ONLY, ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError } from "@/server/errors";
import { explainMemberConflict } from "@/server/members/member-conflicts";
import { profileValues } from "@/server/members/profile-values";
import { ZMemberUpdate, type TMemberUpdateInput } from "@/server/members/schemas";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import { assertAuthorityOver } from "@/server/shared/member-authority";
import { assertManagedFieldsUnchanged, memberManagedBy } from "@/server/shared/managed-fields";
import { changedContactFields, notifyContactChanges } from "@/server/members/contact-change-notice";

const EDITABLE = {
  firstName: true,
  lastName: true,
  fullName: true,
  username: true,
  email: true,
  mobile: true,
  itc: true,
  country: true,
  landline: true,
  gender: true,
  title: true,
  address: true,
  sysAdmin: true,
} as const;

function checkRoleChange(actor: TActor & { sysAdmin: number }, memberId: bigint, from: number, to: number): void {
  if (from === to) return;
  if (actor.memberId === memberId) throw new ForbiddenError("You cannot change your own role", { role: ["Ask another administrator"] });
  if ((from === SYSTEM_ROLE.owner || to === SYSTEM_ROLE.owner) && actor.sysAdmin < SYSTEM_ROLE.owner) {
    throw new ForbiddenError("Only an owner may grant or remove the owner role", { role: ["Only an owner may change this"] });
  }
}

/**
 * An admin edits a member's profile. The edit states which version it started
 * from; if someone saved in between, it is refused, never silently overwritten.
 */
export async function updateMember(db: TDatabaseOrTransaction, actor: TActor & TStepUpSession & { sysAdmin: number }, rawInput: TMemberUpdateInput) {
  const input = ZMemberUpdate.parse(rawInput);
  const memberId = BigInt(input.memberId);
  try {
    return await inTransaction(db, async (tx) => {
      // Locks the row so two edits of the same version cannot both pass the check below.
      const locked = await tx.$queryRaw<{ id: bigint; state: string }[]>`
        SELECT id, state FROM users WHERE id = ${memberId} AND tenant_id = ${actor.tenantId} AND deleted_at IS NULL FOR UPDATE`;
      if (locked.length === 0) throw new NotFoundError("Member not found");
      if (locked[0]?.state === "archived") throw new InvalidTransitionError(ARCHIVED_READ_ONLY);
      await assertAuthorityOver(tx, actor, [memberId]);
      const current = await tx.user.findUniqueOrThrow({
        where: { id: memberId },
        select: { ...EDITABLE, updatedAt: true, lastModifiedBy: true, tenant: { select: { nameOrder: true } } },
      });
      if (current.updatedAt.getTime() !== input.expectedLastModifiedDate.getTime()) {
        const lastModifier = current.lastModifiedBy === null ? null : await tx.user.findFirst({ where: { id: current.lastModifiedBy, tenantId: actor.tenantId }, select: { fullName: true } });
        throw new ConflictError(
          `${lastModifier?.fullName ?? "Someone"} changed this member at ${current.updatedAt.toISOString()} after you opened it. Reload to see their changes, then edit again.`,
        );
      }
      checkRoleChange(actor, memberId, current.sysAdmin, SYSTEM_ROLE[input.role]);
      // Granting or removing admin is sensitive; other profile edits are not.
      if (current.sysAdmin !== SYSTEM_ROLE[input.role]) await assertStepUp(tx, actor, "member.role_change");
      const values = profileValues(input, current.tenant.nameOrder);
      const changes = diffFields(current, values);
      if (Object.keys(changes).length === 0) return { id: memberId, updatedAt: current.updatedAt, changed: [] as string[] };
      // Fields a directory fills are its to change (its sync acts with its id); unchanged values pass.
      assertManagedFieldsUnchanged(await memberManagedBy(tx, actor.tenantId, memberId), Object.keys(changes), actor);
      const contactFields = changedContactFields(changes);
      // A session alone must not move its own member's sign-in contact: a stolen one could then take the account over by reset.
      if (contactFields.length > 0 && actor.memberId === memberId) await assertStepUp(tx, actor, "member.own_contact_change");
      const updated = await tx.user.update({
        where: { id: memberId },
        data: { ...values, lastModifiedBy: actor.memberId },
        select: { id: true, updatedAt: true },
      });
      await recordAuditEvent(tx, actor, { action: "member.updated", targetType: "member", targetId: memberId, changes });
      await notifyContactChanges(tx, actor.tenantId, [{ memberId, fullName: current.fullName, oldEmail: current.email, fields: contactFields }]);
      return { ...updated, changed: Object.keys(changes) };
    });
  } catch (error) {
    // In a caller's transaction a failed statement aborted it: the caller explains the conflict after its rollback.
    if (isTransaction(db)) throw error;
    throw await explainMemberConflict(db, actor.tenantId, profileValues(input, "first_last"), error);
  }
}
