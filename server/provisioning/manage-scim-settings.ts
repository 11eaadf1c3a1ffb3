import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/server/errors";
import type { TActor } from "@/server/shared/actor";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { ZApplicationRef, ZScimSettingsInput, type TScimSettingsInput } from "@/server/provisioning/schemas";
import { assertScimDestination } from "@/server/provisioning/scim-url";
import { enqueueAllGroups } from "@/server/provisioning/sync-group";
import { sealScimToken } from "@/server/provisioning/scim-endpoint";
import type { z } from "zod";

// Connecting an application's SCIM endpoint sends members' data and a bearer
// token there and, once approved, closes or deletes accounts there: owners
// only, after a step-up. A new connection stays off until an owner approves
// its first reconciliation (a dry run listing the backfill). The token is
// sealed and never returned; the trail says only that it changed.

export type TProvisioningActor = TActor & TStepUpSession & { sysAdmin: number };

export async function assertProvisioningOwner(db: TDatabase, actor: TProvisioningActor): Promise<void> {
  if (actor.sysAdmin < SYSTEM_ROLE.owner) throw new ForbiddenError("Only owners may connect or change an application's provisioning");
  await assertStepUp(db, actor, "provisioning.manage");
}

/** The application, in the actor's organisation (another organisation's is "not found", as an unknown one). */
export async function findOwnApplication(db: TDatabase, tenantId: bigint, applicationId: string): Promise<{ id: bigint; name: string }> {
  const application = await db.application.findFirst({ where: { id: BigInt(applicationId), tenantId }, select: { id: true, name: true } });
  if (!application) throw new NotFoundError("Unknown application");
  return application;
}

export async function saveScimSettings(db: TDatabase, actor: TProvisioningActor, rawInput: TScimSettingsInput): Promise<{ applicationId: string }> {
  const input = ZScimSettingsInput.parse(rawInput);
  await assertProvisioningOwner(db, actor);
  const application = await findOwnApplication(db, actor.tenantId, input.applicationId);
  await assertScimDestination(input.baseUrl);
  const token = input.token?.trim() ?? "";
  const existing = await db.applicationScimSettings.findUnique({ where: { applicationId: application.id } });
  if (!existing && token.length === 0) throw new ValidationError("Enter the bearer token the application gave you", { token: ["Required"] });
  const values = {
    baseUrl: input.baseUrl,
    deprovisionMode: input.deprovisionMode,
    pushGroups: input.pushGroups,
    rateLimitPerSecond: input.rateLimitPerSecond,
    attributeMapping: input.attributeMapping,
    ...(token.length > 0 ? { sealedToken: sealScimToken(application.id, token) } : {}),
  };
  await db.$transaction(async (tx) => {
    if (existing) await tx.applicationScimSettings.update({ where: { applicationId: application.id }, data: values });
    else await tx.applicationScimSettings.create({ data: { applicationId: application.id, tenantId: actor.tenantId, sealedToken: "", ...values } });
    // Pushing turned on for a connection already running: the groups its accounts belong to go now (the triggers cover later changes).
    if (existing?.enabled && input.pushGroups && !existing.pushGroups) await enqueueAllGroups(tx, application.id);
    const before = existing
      ? { baseUrl: existing.baseUrl, deprovisionMode: existing.deprovisionMode, pushGroups: existing.pushGroups, rateLimitPerSecond: existing.rateLimitPerSecond, attributeMapping: existing.attributeMapping }
      : null;
    await recordAuditEvent(tx, actor, {
      action: "application.provisioning_updated",
      targetType: "application",
      targetId: application.id,
      changes: {
        provisioning: { before, after: { baseUrl: input.baseUrl, deprovisionMode: input.deprovisionMode, pushGroups: input.pushGroups, rateLimitPerSecond: input.rateLimitPerSecond, attributeMapping: input.attributeMapping } },
        ...(token.length > 0 ? { token: { before: existing ? "(set)" : null, after: "(changed)" } } : {}),
      },
    });
  });
  return { applicationId: application.id.toString() };
}

/**
 * Turns provisioning on: from now on access changes drive the application's
 * accounts, and everyone who already holds the application gets a job (the
 * backfill the first reconciliation listed). Set-based: one statement however
 * many holders.
 */
export async function approveProvisioning(db: TDatabase, actor: TProvisioningActor, rawInput: z.input<typeof ZApplicationRef>): Promise<{ queued: number }> {
  const input = ZApplicationRef.parse(rawInput);
  await assertProvisioningOwner(db, actor);
  const application = await findOwnApplication(db, actor.tenantId, input.applicationId);
  return db.$transaction(async (tx) => {
    const settings = await tx.applicationScimSettings.findUnique({ where: { applicationId: application.id } });
    if (!settings) throw new NotFoundError("Connect the application's SCIM endpoint first");
    // The first approval is of a dry run's report: the owner has seen the backfill and the drift before anything is written.
    if (!settings.firstReconciliationApprovedAt) {
      const reviewed = await tx.provisioningReconciliation.findFirst({ where: { applicationId: application.id, status: "completed" }, select: { id: true } });
      if (!reviewed) throw new ConflictError("Run a dry-run reconciliation first, then approve what it found");
    }
    await tx.applicationScimSettings.update({ where: { applicationId: application.id }, data: { enabled: true, firstReconciliationApprovedAt: settings.firstReconciliationApprovedAt ?? new Date() } });
    const [result] = await tx.$queryRaw<{ queued: number }[]>`
      WITH holders AS (
        SELECT DISTINCT u.id FROM users u
        WHERE u.tenant_id = ${actor.tenantId}
          AND (EXISTS (SELECT 1 FROM member_access ma WHERE ma.user_id = u.id AND ma.kind = 2 AND ma.item_id = ${application.id})
               OR (u.state = 'locked' AND EXISTS (SELECT 1 FROM member_access_paths p WHERE p.user_id = u.id AND p.kind = 2 AND p.item_id = ${application.id})))
      ), marked AS (
        INSERT INTO member_provisioning (application_id, user_id, tenant_id, status)
        SELECT ${application.id}, id, ${actor.tenantId}, 'pending' FROM holders
        ON CONFLICT (application_id, user_id) DO NOTHING
      )
      SELECT (SELECT count(*) FROM holders)::int AS queued, tenure_provisioning_enqueue(ARRAY(SELECT ARRAY[${application.id}::bigint, id] FROM holders))::text AS enqueued`;
    const queued = result?.queued ?? 0;
    await recordAuditEvent(tx, actor, { action: "application.provisioning_approved", targetType: "application", targetId: application.id, changes: { enabled: { before: settings.enabled, after: true } } });
    return { queued };
  });
}
