import type { TDatabase } from "@/server/db/client";
import { diffFields, recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { ARCHIVED_READ_ONLY, ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError } from "@/server/errors";
import { explainMemberConflict } from "@/server/members/member-conflicts";
import { normaliseMobile } from "@/server/validation/phone";
import { assertManagedFieldsUnchanged, memberManagedBy } from "@/server/shared/managed-fields";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import { changedContactFields, notifyContactChanges } from "@/server/members/contact-change-notice";
import { getSelfServiceSettings } from "@/server/self-service/self-service-settings";
import { ZOwnProfileUpdate, type TOwnProfileUpdateInput, type TSelfEditableField } from "@/server/self-service/schemas";

/** The setting that allows each input field (the mobile's country goes with the mobile). */
const SETTING_OF: Record<string, TSelfEditableField> = {
  mobile: "mobile",
  country: "mobile",
  landline: "landline",
  address: "address",
  avatarUrl: "avatarUrl",
  gender: "gender",
  title: "title",
};

const CURRENT = { fullName: true, email: true, mobile: true, itc: true, country: true, landline: true, address: true, avatarUrl: true, gender: true, title: true, updatedAt: true } as const;

/**
 * A member edits their own profile in self-service: only the fields the
 * organisation allows (anything else sent is refused, named per field), with
 * the console's field rules, from the version they opened (a newer one is a
 * conflict, never silently overwritten). Audited as any edit of the record.
 */
export async function updateOwnProfile(db: TDatabase, actor: TActor & TStepUpSession & { memberId: bigint }, rawInput: TOwnProfileUpdateInput) {
  const input = ZOwnProfileUpdate.parse(rawInput);
  const { editableFields } = await getSelfServiceSettings(db, actor.tenantId);
  const sent = Object.entries(input).filter(([field, value]) => field !== "expectedLastModifiedDate" && value !== undefined);
  const refused = sent.filter(([field]) => !editableFields.includes(SETTING_OF[field]!));
  if (refused.length > 0) {
    throw new ForbiddenError(
      "Your organisation does not let members change some of these fields",
      Object.fromEntries(refused.map(([field]) => [field, ["Only an administrator can change this"]])),
    );
  }
  const phone = input.mobile !== undefined && input.country !== undefined ? normaliseMobile(input.mobile, input.country) : null;
  const values = {
    ...(phone ? { mobile: phone.mobile, itc: phone.itc, country: phone.country } : {}),
    ...(input.landline !== undefined ? { landline: input.landline } : {}),
    ...(input.address !== undefined ? { address: input.address } : {}),
    ...(input.avatarUrl !== undefined ? { avatarUrl: input.avatarUrl } : {}),
    ...(input.gender !== undefined ? { gender: input.gender } : {}),
    ...(input.title !== undefined ? { title: input.title } : {}),
  };
  try {
    return await db.$transaction(async (tx) => {
      const [locked] = await tx.$queryRaw<{ state: string }[]>`
        SELECT state FROM users WHERE id = ${actor.memberId} AND tenant_id = ${actor.tenantId} AND deleted_at IS NULL FOR UPDATE`;
      if (!locked) throw new NotFoundError("Member not found");
      if (locked.state === "archived") throw new InvalidTransitionError(ARCHIVED_READ_ONLY);
      const current = await tx.user.findUniqueOrThrow({ where: { id: actor.memberId }, select: CURRENT });
      if (current.updatedAt.getTime() !== input.expectedLastModifiedDate.getTime()) {
        throw new ConflictError("Your profile was changed (by you elsewhere, or an administrator) after you opened it. Reload to see the changes, then edit again.");
      }
      const changes = diffFields(current, values);
      if (Object.keys(changes).length === 0) return { updatedAt: current.updatedAt, changed: [] as string[] };
      // Whatever the organisation lets members edit, a field their directory fills is the directory's.
      assertManagedFieldsUnchanged(await memberManagedBy(tx, actor.tenantId, actor.memberId), Object.keys(changes), actor);
      const contactFields = changedContactFields(changes);
      // A session alone must not move its member's sign-in contact (a stolen one could then take the account over).
      if (contactFields.length > 0) await assertStepUp(tx, actor, "member.own_contact_change");
      const updated = await tx.user.update({ where: { id: actor.memberId }, data: { ...values, lastModifiedBy: actor.memberId }, select: { updatedAt: true } });
      await recordAuditEvent(tx, actor, { action: "member.updated", targetType: "member", targetId: actor.memberId, changes });
      await notifyContactChanges(tx, actor.tenantId, [{ memberId: actor.memberId, fullName: current.fullName, oldEmail: current.email, fields: contactFields }]);
      return { updatedAt: updated.updatedAt, changed: Object.keys(changes) };
    });
  } catch (error) {
    throw await explainMemberConflict(db, actor.tenantId, { mobile: phone?.mobile }, error, "member");
  }
}
