import type { TDatabase, TDatabaseOrTransaction } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import type { TActor } from "@/server/shared/actor";
import { ZScimSettingsInput, type TScimSettings, type TScimSettingsInput } from "@/server/scim/scim-schemas";

// What DELETE /Users/{id} does (default: disable, the specification's first
// offboarding step, undoable), and whether an enterprise department Tenure
// does not have is created or refused.


export async function getScimSettings(db: TDatabaseOrTransaction, tenantId: bigint): Promise<TScimSettings> {
  const row = await db.scimSettings.findUnique({ where: { tenantId } });
  return { deleteAction: (row?.deleteAction as TScimSettings["deleteAction"] | undefined) ?? "disable", createDepartments: row?.createDepartments ?? false };
}

export async function updateScimSettings(db: TDatabase, actor: TActor, rawInput: TScimSettingsInput): Promise<TScimSettings> {
  const input = ZScimSettingsInput.parse(rawInput);
  return db.$transaction(async (tx) => {
    const before = await getScimSettings(tx, actor.tenantId);
    await tx.scimSettings.upsert({
      where: { tenantId: actor.tenantId },
      create: { tenantId: actor.tenantId, ...input },
      update: { ...input, updatedAt: new Date() },
    });
    const changes = Object.fromEntries(
      (Object.keys(input) as (keyof TScimSettings)[]).filter((key) => before[key] !== input[key]).map((key) => [key, { before: before[key], after: input[key] }]),
    );
    if (Object.keys(changes).length > 0) await recordAuditEvent(tx, actor, { action: "scim.settings_updated", targetType: "tenant", targetId: actor.tenantId, changes });
    return input;
  });
}
