import type { TDatabase, TTransaction } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { InvalidTransitionError, NotFoundError } from "@/server/errors";
import { getImport } from "@/server/imports/get-import";
import { ZImportAction, type TImportActionInput } from "@/server/imports/schemas";
import { enqueue } from "@/server/queue/enqueue";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";

/** One job per import: adding it again replaces a waiting one instead of doubling it. */
export const importJobKey = (importId: bigint) => `member-import:${importId}`;

/** Enqueues (or re-enqueues) the apply job inside the caller's transaction. */
export async function enqueueImportApply(tx: TTransaction, importId: bigint): Promise<void> {
  await enqueue(tx, "members__import_apply", { importId: importId.toString() }, { jobKey: importJobKey(importId) });
}

const NOT_APPLICABLE: Record<string, string> = {
  validating: "This file is still being checked",
  failed_validation: "This file could not be read: upload a corrected file",
  queued: "This import is already applying",
  applying: "This import is already applying",
  completed: "This import has already been applied",
  failed: "This import has stopped: upload the file again",
  cancelled: "This import was cancelled: upload the file again",
};

async function lockImport(tx: TTransaction, tenantId: bigint, importId: bigint) {
  const [found] = await tx.$queryRaw<{ status: string; valid_rows: number; file_name: string }[]>`
    SELECT status, valid_rows, file_name FROM member_imports WHERE id = ${importId} AND tenant_id = ${tenantId} FOR UPDATE`;
  if (!found) throw new NotFoundError("Import not found");
  return found;
}

/**
 * Whether a row makes a member admin or owner, or takes that away (a demotion
 * locks the admin out of the console): a role change like the edit form's, so
 * a sensitive operation. A row without the role column changes no role.
 */
async function changesAdmins(tx: TTransaction, tenantId: bigint, importId: bigint): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ found: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM member_import_rows r
      LEFT JOIN users u ON u.tenant_id = ${tenantId} AND u.username = (r.values->>'username')::citext
      WHERE r.import_id = ${importId} AND r.values ? 'sysAdmin'
        AND (r.values->>'sysAdmin')::int IS DISTINCT FROM coalesce(u.sys_admin, 0)
    ) AS found`;
  return row?.found ?? false;
}

/** "Apply N valid rows": the import is queued and its job enqueued in one transaction, with an audit event. */
export async function startImport(db: TDatabase, actor: TActor & TStepUpSession & { memberId: bigint }, rawInput: TImportActionInput) {
  const importId = BigInt(ZImportAction.parse(rawInput).importId);
  await db.$transaction(async (tx) => {
    const found = await lockImport(tx, actor.tenantId, importId);
    if (found.status !== "validated") throw new InvalidTransitionError(NOT_APPLICABLE[found.status] ?? "This import cannot be applied");
    if (found.valid_rows === 0) throw new InvalidTransitionError("No row of this file is valid: correct the file and upload it again");
    if (await changesAdmins(tx, actor.tenantId, importId)) await assertStepUp(tx, actor, "member.role_change");
    await tx.$executeRaw`
      UPDATE member_imports SET status = 'queued', applied_by = ${actor.memberId}, queued_at = now(), updated_at = now() WHERE id = ${importId}`;
    await enqueueImportApply(tx, importId);
    await recordAuditEvent(tx, actor, {
      action: "members.import_applied",
      targetType: "member_import",
      targetId: importId,
      changes: { import: { before: null, after: { fileName: found.file_name, validRows: found.valid_rows } } },
    });
  });
  return getImport(db, actor.tenantId, importId);
}

/** Stops an import that has not finished: a dry run nobody will apply, or an apply between two batches (applied rows stay). */
export async function cancelImport(db: TDatabase, actor: TActor, rawInput: TImportActionInput) {
  const importId = BigInt(ZImportAction.parse(rawInput).importId);
  await db.$transaction(async (tx) => {
    const found = await lockImport(tx, actor.tenantId, importId);
    if (!["validated", "queued", "applying"].includes(found.status)) throw new InvalidTransitionError("Only an import that has not finished can be cancelled");
    await tx.$executeRaw`UPDATE member_imports SET status = 'cancelled', finished_at = now(), updated_at = now() WHERE id = ${importId}`;
    await recordAuditEvent(tx, actor, {
      action: "members.import_cancelled",
      targetType: "member_import",
      targetId: importId,
      changes: { status: { before: found.status, after: "cancelled" } },
    });
  });
  return getImport(db, actor.tenantId, importId);
}
