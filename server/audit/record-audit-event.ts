import type { Prisma } from "@/server/db/generated/client";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import type { TActor } from "@/server/shared/actor";
import type { TAuditAction } from "@/server/audit/audit-actions";

export type TFieldChange = { before: unknown; after: unknown };
export type TChanges = Record<string, TFieldChange>;

/** Call inside the transaction of the change it records. */
export async function recordAuditEvent(
  tx: TDatabaseOrTransaction,
  actor: TActor,
  event: { action: TAuditAction; targetType: string; targetId: bigint; changes: TChanges },
): Promise<void> {
  await tx.auditEvent.create({
    data: {
      tenantId: actor.tenantId,
      actorId: actor.memberId,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      changes: event.changes as Prisma.InputJsonValue,
      ipAddress: actor.ipAddress?.slice(0, 45) ?? null,
      userAgent: actor.userAgent?.slice(0, 512) ?? null,
    },
  });
}

/**
 * The same action on many targets, one event each, in one statement: for
 * set-based changes (bulk transfer, bulk grant). Call inside their transaction.
 */
export async function recordAuditEvents(
  tx: TDatabaseOrTransaction,
  actor: TActor,
  event: { action: TAuditAction; targetType: string; targets: { targetId: bigint; changes: TChanges }[] },
): Promise<void> {
  if (event.targets.length === 0) return;
  const ids = event.targets.map((target) => target.targetId);
  const changes = event.targets.map((target) => JSON.stringify(target.changes));
  await tx.$executeRaw`
    INSERT INTO audit_events (tenant_id, actor_id, action, target_type, target_id, changes, ip_address, user_agent)
    SELECT ${actor.tenantId}, ${actor.memberId}, ${event.action}, ${event.targetType}, t.id, t.changes::jsonb,
           ${actor.ipAddress?.slice(0, 45) ?? null}, ${actor.userAgent?.slice(0, 512) ?? null}
    FROM unnest(${ids}::bigint[], ${changes}::text[]) AS t(id, changes)`;
}

/** The before/after of each field that differs; dates compared by instant. */
export function diffFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): TChanges {
  const changes: TChanges = {};
  for (const [field, value] of Object.entries(after)) {
    const previous = before[field];
    const same = previous instanceof Date && value instanceof Date ? previous.getTime() === value.getTime() : previous === value;
    if (!same) changes[field] = { before: previous ?? null, after: value ?? null };
  }
  return changes;
}

/** A creation as changes from nothing, for the timeline. */
export function creationChanges(values: Record<string, unknown>): TChanges {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null && value !== undefined).map(([field, value]) => [field, { before: null, after: value }]));
}
