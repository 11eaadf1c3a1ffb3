import type { TDatabase, TTransaction } from "@/server/db/client";
import { recordAuditEvents } from "@/server/audit/record-audit-event";
import { ValidationError, NotFoundError, ForbiddenError } from "@/server/errors";
import { cancelJobs } from "@/workers/enqueue";
import { authorityRefusal, type TLifecycleActor } from "@/server/lifecycle/member-authority";
import { lockMembersForUpdate } from "@/server/lifecycle/load-members";
import { memberJobKey } from "@/server/lifecycle/job-keys";
import { ZHardDeleteInput, type THardDeleteInput } from "@/server/lifecycle/schemas";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";

/**
 * Removes every row about the members: the member record, application and
 * policy authorisations, department, group and role relations, sessions,
 * receipts, mail, invitations, login history, MFA and reset tokens, the
 * recycle-bin entry (foreign keys cascade from users), and staged import rows
 * and sign-in attempts that name them. The audit trail stays, with opaque ids only: the changed
 * fields' values and the member's own IP addresses and browsers are erased.
 * Call inside a transaction, with members already row-locked.
 */
export async function eraseMembers(tx: TTransaction, actor: TLifecycleActor, memberIds: bigint[]): Promise<number> {
  if (memberIds.length === 0) return 0;
  await tx.$executeRaw`
    UPDATE audit_events SET changes = (
      SELECT coalesce(jsonb_object_agg(field, '{"erased": true}'::jsonb), '{}'::jsonb) FROM jsonb_object_keys(changes) AS field)
    WHERE tenant_id = ${actor.tenantId} AND target_type = 'member' AND target_id = ANY(${memberIds}::bigint[])`;
  await tx.$executeRaw`
    UPDATE audit_events SET ip_address = NULL, user_agent = NULL
    WHERE tenant_id = ${actor.tenantId} AND actor_id = ANY(${memberIds}::bigint[])`;
  await cancelJobs(tx, memberIds.flatMap((id) => [memberJobKey("unlock", id), memberJobKey("activate", id), memberJobKey("resign", id)]));
  // Rows about the member that are not linked to their id: sign-in attempts
  // typed with their username, email or mobile, and rows of recent imports
  // (staged for the report) that carried them.
  await tx.$executeRaw`
    DELETE FROM login_attempts a USING users u
    WHERE u.tenant_id = ${actor.tenantId} AND u.id = ANY(${memberIds}::bigint[])
      AND a.tenant_id = u.tenant_id AND a.user_id IS NULL AND a.login IN (u.username::citext, u.email::citext, u.mobile::citext)`;
  await tx.$executeRaw`
    WITH staged AS (
      SELECT r.import_id, r.row_number FROM member_import_rows r
      JOIN member_imports i ON i.id = r.import_id AND i.tenant_id = ${actor.tenantId}
      JOIN users u ON u.id = ANY(${memberIds}::bigint[]) AND lower(coalesce(r.values->>'username', r.username)) = lower(u.username::text)),
    errors AS (
      DELETE FROM member_import_errors e USING staged s WHERE e.import_id = s.import_id AND e.row_number = s.row_number)
    DELETE FROM member_import_rows r USING staged s WHERE r.import_id = s.import_id AND r.row_number = s.row_number`;
  const erased = await tx.$executeRaw`DELETE FROM users WHERE tenant_id = ${actor.tenantId} AND id = ANY(${memberIds}::bigint[])`;
  await recordAuditEvents(tx, actor, {
    action: "member.erased",
    targetType: "member",
    targets: memberIds.map((targetId) => ({ targetId, changes: {} })),
  });
  return erased;
}

/**
 * An admin deletes a member permanently now, from any state, after typing the
 * username to confirm (the recycle bin's grace period is skipped).
 */
export async function hardDeleteMember(db: TDatabase, actor: TLifecycleActor & TStepUpSession, rawInput: THardDeleteInput): Promise<{ erased: true }> {
  const input = ZHardDeleteInput.parse(rawInput);
  await assertStepUp(db, actor, "member.hard_delete");
  const memberId = BigInt(input.memberId);
  return db.$transaction(async (tx) => {
    const [member] = await lockMembersForUpdate(tx, actor.tenantId, [memberId]);
    if (!member) throw new NotFoundError("No such member in your organisation");
    const refusal = authorityRefusal(actor, member, "hard-delete");
    if (refusal) throw new ForbiddenError(refusal);
    if (member.username.toLowerCase() !== input.confirmUsername.toLowerCase()) {
      const message = `Type ${member.username} to confirm`;
      throw new ValidationError(message, { confirmUsername: [message] });
    }
    await cancelJobs(tx, [memberJobKey("hard-delete", memberId)]);
    await eraseMembers(tx, actor, [memberId]);
    return { erased: true as const };
  });
}
