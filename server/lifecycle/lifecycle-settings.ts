import type { TDatabaseOrTransaction } from "@/server/db/client";
import { recordAuditEvent, diffFields } from "@/server/audit/record-audit-event";
import type { TLifecycleActor } from "@/server/lifecycle/member-authority";
import { ZLifecycleSettingsInput, type TLifecycleSettingsInput } from "@/server/lifecycle/schemas";
import type { TDatabase } from "@/server/db/client";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import { DEFAULT_PASSWORD_REMINDER_DAYS } from "@/server/auth/password-expiry-reminders";

export const DEFAULT_LIFECYCLE_SETTINGS = { deletionGraceDays: 30, passwordReminderDays: DEFAULT_PASSWORD_REMINDER_DAYS } as const;

export type TLifecycleSettings = { deletionGraceDays: number; passwordReminderDays: number[] };

/** The tenant's lifecycle settings, or the defaults until an admin saves some. */
export async function getLifecycleSettings(db: TDatabaseOrTransaction, tenantId: bigint): Promise<TLifecycleSettings> {
  const row = await db.tenantLifecycleSettings.findUnique({ where: { tenantId }, select: { deletionGraceDays: true, passwordReminderDays: true } });
  return row ?? { deletionGraceDays: DEFAULT_LIFECYCLE_SETTINGS.deletionGraceDays, passwordReminderDays: [...DEFAULT_LIFECYCLE_SETTINGS.passwordReminderDays] };
}

export async function deletionGraceDays(db: TDatabaseOrTransaction, tenantId: bigint): Promise<number> {
  return (await getLifecycleSettings(db, tenantId)).deletionGraceDays;
}

export async function updateLifecycleSettings(db: TDatabase, actor: TLifecycleActor & TStepUpSession, rawInput: TLifecycleSettingsInput): Promise<TLifecycleSettings> {
  const input = ZLifecycleSettingsInput.parse(rawInput);
  return db.$transaction(async (tx) => {
    const before = await getLifecycleSettings(tx, actor.tenantId);
    // A shorter grace period brings permanent deletion closer for every member deleted from now on.
    if (input.deletionGraceDays < before.deletionGraceDays) await assertStepUp(tx, actor, "lifecycle.shorten_grace");
    const saved = await tx.tenantLifecycleSettings.upsert({
      where: { tenantId: actor.tenantId },
      create: { tenantId: actor.tenantId, ...input },
      update: { ...input, updatedAt: new Date() },
      select: { deletionGraceDays: true, passwordReminderDays: true },
    });
    const changes = diffFields(
      { deletionGraceDays: before.deletionGraceDays, passwordReminderDays: before.passwordReminderDays.join(",") },
      { deletionGraceDays: saved.deletionGraceDays, passwordReminderDays: saved.passwordReminderDays.join(",") },
    );
    if (Object.keys(changes).length > 0) {
      await recordAuditEvent(tx, actor, { action: "tenant.lifecycle_settings_changed", targetType: "tenant", targetId: actor.tenantId, changes });
    }
    return saved;
  });
}
