import type { TDatabase, TDatabaseOrTransaction } from "@/server/db/client";
import { diffFields, recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import {
  DEFAULT_SELF_EDITABLE_FIELDS,
  SELF_EDITABLE_FIELDS,
  ZSelfServiceSettings,
  type TSelfEditableField,
  type TSelfServiceSettingsInput,
} from "@/server/self-service/schemas";

export type TSelfServiceSettings = { editableFields: TSelfEditableField[] };

const known = (field: string): field is TSelfEditableField => (SELF_EDITABLE_FIELDS as readonly string[]).includes(field);

/** The tenant's choice, or the default (mobile, landline, address) when an admin never saved one. */
export async function getSelfServiceSettings(db: TDatabaseOrTransaction, tenantId: bigint): Promise<TSelfServiceSettings> {
  const row = await db.tenantSelfServiceSettings.findUnique({ where: { tenantId }, select: { editableFields: true } });
  return { editableFields: row ? row.editableFields.filter(known) : [...DEFAULT_SELF_EDITABLE_FIELDS] };
}

/** An admin chooses which fields members edit themselves: a security setting (step-up), audited. */
export async function updateSelfServiceSettings(
  db: TDatabase,
  actor: TActor & TStepUpSession,
  rawInput: TSelfServiceSettingsInput,
): Promise<TSelfServiceSettings> {
  const input = ZSelfServiceSettings.parse(rawInput);
  const editableFields = SELF_EDITABLE_FIELDS.filter((field) => input.editableFields.includes(field));
  await assertStepUp(db, actor, "self_service.settings_update");
  return db.$transaction(async (tx) => {
    // Serialises two admins saving at once, so each audit event's "before" is what it replaced.
    await tx.$executeRaw`SELECT 1 FROM tenants WHERE id = ${actor.tenantId} FOR UPDATE`;
    const before = await getSelfServiceSettings(tx, actor.tenantId);
    const changes = diffFields({ editableFields: before.editableFields.join(", ") }, { editableFields: editableFields.join(", ") });
    if (Object.keys(changes).length === 0) return before;
    await tx.tenantSelfServiceSettings.upsert({
      where: { tenantId: actor.tenantId },
      create: { tenantId: actor.tenantId, editableFields, updatedBy: actor.memberId },
      update: { editableFields, updatedBy: actor.memberId },
    });
    await recordAuditEvent(tx, actor, { action: "tenant.self_service_settings_updated", targetType: "tenant", targetId: actor.tenantId, changes });
    return { editableFields };
  });
}
