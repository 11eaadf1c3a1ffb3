import type { TDatabase, TTransaction } from "@/server/db/client";
import type { TFieldChange } from "@/server/audit/record-audit-event";
import { auditAccessChanges, previewAccessChange, recordingAccessChanges, type TAccessChanges, type TMemberAccessChange } from "@/server/access/access-changes";
import type { TActor } from "@/server/shared/actor";

// An action that changes effective access is written once, as
// `apply(tx)`, and used twice: by its preview (run, recorded, rolled back)
// and by the action itself (run, recorded, audited, committed). The two
// cannot drift apart: the dialog shows what the confirmed action does.

export type TAccessCause = { action: string; targetType: string; targetId: bigint };
export type TAccessTotals = { affected: number; gained: number; lost: number };

/**
 * The totals an action's own audit event carries, beside its other changes;
 * nothing when no one's access changed (the event reads as it always has).
 */
export function accessTotalsChange(changes: Pick<TAccessChanges, "affected" | "totals">): { accessChanges?: TFieldChange } {
  if (changes.affected === 0) return {};
  return { accessChanges: { before: null, after: { affected: changes.affected, gained: changes.totals.gained, lost: changes.totals.lost } satisfies TAccessTotals } };
}

/** One member's own totals (for the per-member events of a bulk action). */
export function memberAccessTotalsChange(change: TMemberAccessChange | undefined): { accessChanges?: TFieldChange } {
  return accessTotalsChange({ affected: change ? 1 : 0, totals: { gained: change?.gained.length ?? 0, lost: change?.lost.length ?? 0 } });
}

/**
 * Runs `apply` recording who gains and loses what, then lets `audit` write the
 * action's own event (it gets the changes, for their totals), then writes one
 * `member.access_changed` event per affected member: all in `tx`.
 */
export async function applyAuditingAccess<T>(
  tx: TTransaction,
  actor: TActor,
  cause: TAccessCause,
  apply: () => Promise<T>,
  audit: (result: T, changes: TAccessChanges, all: TMemberAccessChange[]) => Promise<void>,
): Promise<{ result: T; changes: TAccessChanges }> {
  const { result, changes, all } = await recordingAccessChanges(tx, apply);
  await audit(result, changes, all);
  await auditAccessChanges(tx, actor, { action: cause.action, targetType: cause.targetType, targetId: cause.targetId.toString() }, all);
  return { result, changes };
}

/** What `apply` would change, for the confirmation dialog; nothing is kept. */
export async function previewOf<T>(db: TDatabase, apply: (tx: TTransaction) => Promise<T>): Promise<TAccessChanges> {
  return (await previewAccessChange(db, apply)).changes;
}
