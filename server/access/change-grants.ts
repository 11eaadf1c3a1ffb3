import type { TDatabase, TTransaction } from "@/server/db/client";
import type { TActor } from "@/server/shared/actor";
import { assertAuthorityOver, type TAuthorityActor } from "@/server/shared/member-authority";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import type { TSensitiveOperation } from "@/server/auth/sensitive-operations";
import { previewAccessChange, type TAccessChanges } from "@/server/access-changes/access-changes";
import { applyAuditingAccess, ownersWhoLoseAccess } from "@/server/access-changes/apply-access-change";
import { applyGrantToDepartment, applyRevokeFromDepartment, applySetDepartmentGrantScope, type TGrantChangeOutcome } from "@/server/access/department-grants";
import { applyGrantToGroup, applyRevokeFromGroup } from "@/server/access/group-grants";
import { ZGrantChange, type TGrantChange, type TGrantChangeInput } from "@/server/access/grant-schemas";

// A change to a department's or group's grants, previewed and applied by the
// same code: the preview runs it in a transaction that is rolled back
// (previewAccessChange), the confirmed change runs it while the triggers
// record who gains and who loses what, then audits the change itself (with
// the totals) and each affected member.

function applyIn(tx: TTransaction, actor: TActor, change: TGrantChange): Promise<TGrantChangeOutcome> {
  switch (change.change) {
    case "grantToDepartment":
      return applyGrantToDepartment(tx, actor, change);
    case "setDepartmentGrantScope":
      return applySetDepartmentGrantScope(tx, actor, change);
    case "revokeFromDepartment":
      return applyRevokeFromDepartment(tx, actor, change);
    case "grantToGroup":
      return applyGrantToGroup(tx, actor, change);
    case "revokeFromGroup":
      return applyRevokeFromGroup(tx, actor, change);
  }
}

/**
 * Roles carry permissions: giving one (or widening a grant to a subtree) is a
 * grant, taking one (or narrowing) a revoke, as for a single member.
 * Applications carry none.
 */
export function stepUpOperationOf(change: TGrantChange): TSensitiveOperation | null {
  if (change.kind !== "role") return null;
  switch (change.change) {
    case "grantToDepartment":
    case "grantToGroup":
      return "access.grant";
    case "revokeFromDepartment":
    case "revokeFromGroup":
      return "access.revoke";
    case "setDepartmentGrantScope":
      return change.subtree ? "access.grant" : "access.revoke";
  }
}

/** Who would gain and who would lose what; nothing is changed. */
export async function previewGrantChange(db: TDatabase, actor: TActor, rawInput: TGrantChangeInput): Promise<{ changes: TAccessChanges }> {
  const change = ZGrantChange.parse(rawInput);
  // One row of department_roles, department_applications, group_roles or group_applications changes: access is recomputed once.
  const { changes } = await previewAccessChange(db, (tx) => applyIn(tx, actor, change), { refreshesOnce: true });
  return { changes };
}

export async function applyGrantChange(db: TDatabase, actor: TActor & TStepUpSession & TAuthorityActor, rawInput: TGrantChangeInput): Promise<{ changes: TAccessChanges }> {
  const change = ZGrantChange.parse(rawInput);
  const operation = stepUpOperationOf(change);
  if (operation) await assertStepUp(db, actor, operation);
  return db.$transaction(
    async (tx) => {
      const { changes } = await applyAuditingAccess(
        tx,
        actor,
        (outcome) => ({ action: outcome.action, targetType: outcome.targetType, targetId: outcome.targetId }),
        () => applyIn(tx, actor, change),
        async (outcome, changes) => {
          // "Only an owner acts on an owner": taking access from an owner through their department or group included.
          await assertAuthorityOver(tx, actor, await ownersWhoLoseAccess(tx));
          await recordAuditEvent(tx, actor, {
            action: outcome.action,
            targetType: outcome.targetType,
            targetId: outcome.targetId,
            changes: { ...outcome.changes, accessTotals: { before: null, after: { affected: changes.affected, ...changes.totals } } },
          });
        },
      );
      return { changes };
    },
    // A burst waits its turn (one organisation's access changes run one at a time): longer than Prisma's 2 s for a connection.
    { timeout: 120_000, maxWait: 30_000 },
  );
}
