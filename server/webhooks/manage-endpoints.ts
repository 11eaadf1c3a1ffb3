import type { TDatabase, TTransaction } from "@/server/db/client";
import { recordAuditEvent, type TChanges } from "@/server/audit/record-audit-event";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import { ConflictError, ForbiddenError, NotFoundError } from "@/server/errors";
import type { TActor } from "@/server/shared/actor";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { generateWebhookSecret, sealWebhookSecret } from "@/server/webhooks/signing";
import {
  ZWebhookEndpointId,
  ZWebhookEndpointInput,
  ZWebhookEndpointUpdate,
  ZWebhookSetEnabled,
  type TWebhookEndpointId,
  type TWebhookEndpointInput,
  type TWebhookEndpointUpdate,
  type TWebhookSetEnabled,
} from "@/server/webhooks/schemas";

// Where the organisation's events go, and the secret that proves them: owners
// only, after a step-up, each change one transaction with its audit event.
// The secret is shown once (create, rotate) and never written to an event.

export type TWebhookActor = TActor & TStepUpSession & { sysAdmin: number };

export const MAX_WEBHOOK_ENDPOINTS = 20;
/** After a rotation the old secret keeps signing beside the new one this long, so receivers can switch without losing an event. */
export const SECRET_OVERLAP_MS = 24 * 3600 * 1000;

async function assertOwner(db: TDatabase, actor: TWebhookActor): Promise<void> {
  if (actor.sysAdmin < SYSTEM_ROLE.owner) throw new ForbiddenError("Only owners may add, change or delete webhook endpoints");
  await assertStepUp(db, actor, "webhooks.manage");
}

/** Changes to one endpoint run in turn (a rotation racing a delete finds it gone). */
async function lockEndpoint(tx: TTransaction, tenantId: bigint, endpointId: bigint) {
  const [row] = await tx.$queryRaw<{ id: bigint; url: string; description: string; event_types: string[]; enabled: boolean; secret_sealed: string }[]>`
    SELECT id, url, description, event_types, enabled, secret_sealed FROM webhook_endpoints WHERE id = ${endpointId} AND tenant_id = ${tenantId} FOR UPDATE`;
  if (!row) throw new NotFoundError("No such webhook endpoint");
  return row;
}

function changesBetween(before: Record<string, unknown> | null, after: Record<string, unknown>): TChanges {
  const changes: TChanges = {};
  for (const [field, value] of Object.entries(after)) {
    const was = before?.[field] ?? null;
    if (JSON.stringify(was) !== JSON.stringify(value)) changes[field] = { before: was, after: value };
  }
  return changes;
}

export async function createWebhookEndpoint(db: TDatabase, actor: TWebhookActor, rawInput: TWebhookEndpointInput): Promise<{ id: string; secret: string }> {
  const input = ZWebhookEndpointInput.parse(rawInput);
  await assertOwner(db, actor);
  const secret = generateWebhookSecret();
  return db.$transaction(async (tx) => {
    // Parallel creates count in turn, so the cap holds.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`webhook-endpoints:${actor.tenantId}`}, 0))`;
    if ((await tx.webhookEndpoint.count({ where: { tenantId: actor.tenantId } })) >= MAX_WEBHOOK_ENDPOINTS) {
      throw new ConflictError(`An organisation has at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints`);
    }
    const values = { url: input.url, description: input.description, eventTypes: [...input.eventTypes].sort() };
    // The seal binds the secret to the id, which exists only once the row does: a placeholder first, same transaction.
    const row = await tx.webhookEndpoint.create({ data: { tenantId: actor.tenantId, ...values, secretSealed: "", createdBy: actor.memberId }, select: { id: true } });
    await tx.webhookEndpoint.update({ where: { id: row.id }, data: { secretSealed: sealWebhookSecret(row.id, secret) } });
    await recordAuditEvent(tx, actor, { action: "webhook_endpoint.created", targetType: "webhook_endpoint", targetId: row.id, changes: changesBetween(null, values) });
    return { id: row.id.toString(), secret };
  });
}

export async function updateWebhookEndpoint(db: TDatabase, actor: TWebhookActor, rawInput: TWebhookEndpointUpdate): Promise<{ id: string }> {
  const { endpointId, ...input } = ZWebhookEndpointUpdate.parse(rawInput);
  await assertOwner(db, actor);
  return db.$transaction(async (tx) => {
    const current = await lockEndpoint(tx, actor.tenantId, BigInt(endpointId));
    const values = { url: input.url, description: input.description, eventTypes: [...input.eventTypes].sort() };
    const changes = changesBetween({ url: current.url, description: current.description, eventTypes: [...current.event_types].sort() }, values);
    if (Object.keys(changes).length === 0) return { id: endpointId };
    await tx.webhookEndpoint.update({ where: { id: current.id }, data: values });
    await recordAuditEvent(tx, actor, { action: "webhook_endpoint.updated", targetType: "webhook_endpoint", targetId: current.id, changes });
    return { id: endpointId };
  });
}

export async function deleteWebhookEndpoint(db: TDatabase, actor: TWebhookActor, rawInput: TWebhookEndpointId): Promise<{ id: string }> {
  const { endpointId } = ZWebhookEndpointId.parse(rawInput);
  await assertOwner(db, actor);
  return db.$transaction(async (tx) => {
    const current = await lockEndpoint(tx, actor.tenantId, BigInt(endpointId));
    // Its deliveries and their log go with it (cascade); their jobs then find nothing and stop.
    await tx.webhookEndpoint.delete({ where: { id: current.id } });
    await recordAuditEvent(tx, actor, {
      action: "webhook_endpoint.deleted",
      targetType: "webhook_endpoint",
      targetId: current.id,
      changes: { url: { before: current.url, after: null }, eventTypes: { before: current.event_types, after: null } },
    });
    return { id: endpointId };
  });
}

export async function setWebhookEndpointEnabled(db: TDatabase, actor: TWebhookActor, rawInput: TWebhookSetEnabled, now = new Date()): Promise<{ id: string; enabled: boolean }> {
  const { endpointId, enabled } = ZWebhookSetEnabled.parse(rawInput);
  await assertOwner(db, actor);
  return db.$transaction(async (tx) => {
    const current = await lockEndpoint(tx, actor.tenantId, BigInt(endpointId));
    if (current.enabled === enabled) return { id: endpointId, enabled };
    // Enabled again: its health starts afresh (a day of new failures disables it again).
    const data = enabled
      ? { enabled, disabledReason: null, disabledAt: null, consecutiveFailures: 0, failingSince: null }
      : { enabled, disabledReason: "owner", disabledAt: now };
    await tx.webhookEndpoint.update({ where: { id: current.id }, data });
    await recordAuditEvent(tx, actor, {
      action: enabled ? "webhook_endpoint.enabled" : "webhook_endpoint.disabled",
      targetType: "webhook_endpoint",
      targetId: current.id,
      changes: { enabled: { before: current.enabled, after: enabled }, url: { before: current.url, after: current.url } },
    });
    return { id: endpointId, enabled };
  });
}

/**
 * A new secret, shown once; the current one becomes the previous and keeps
 * signing for SECRET_OVERLAP_MS. Rotating again within the overlap drops the
 * oldest at once (at most two secrets sign).
 */
export async function rotateWebhookSecret(db: TDatabase, actor: TWebhookActor, rawInput: TWebhookEndpointId, now = new Date()): Promise<{ secret: string; previousValidUntil: Date }> {
  const { endpointId } = ZWebhookEndpointId.parse(rawInput);
  await assertOwner(db, actor);
  const secret = generateWebhookSecret();
  const previousValidUntil = new Date(now.getTime() + SECRET_OVERLAP_MS);
  return db.$transaction(async (tx) => {
    const current = await lockEndpoint(tx, actor.tenantId, BigInt(endpointId));
    await tx.webhookEndpoint.update({
      where: { id: current.id },
      data: { secretSealed: sealWebhookSecret(current.id, secret), previousSecretSealed: current.secret_sealed, previousSecretExpiresAt: previousValidUntil },
    });
    await recordAuditEvent(tx, actor, {
      action: "webhook_endpoint.secret_rotated",
      targetType: "webhook_endpoint",
      targetId: current.id,
      changes: { secret: { before: "replaced", after: "new" }, previousSecretValidUntil: { before: null, after: previousValidUntil.toISOString() } },
    });
    return { secret, previousValidUntil };
  });
}
