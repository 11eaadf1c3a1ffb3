import type { TDatabase, TTransaction } from "@/server/db/client";
import { recordAuditEvents } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { InvalidTransitionError, NotFoundError } from "@/server/errors";
import { applyAuditingAccess, memberAccessTotalsChange, previewOf } from "@/server/access-changes/apply-access-change";
import { lockDepartment } from "@/server/org/find-department";
import { ZMembersTransfer, type TMembersTransferInput } from "@/server/org/schemas";

/** A bulk transfer of up to 1,000 members recomputes their access: more than the default 5 s may pass. */
const BULK_TIMEOUT_MS = 120_000;

/**
 * The bulk transfer without its audit, shared by the transfer and its
 * preview. Set-based: a fixed number of statements whatever the number of members.
 */
async function applyMembersTransfer(tx: TTransaction, actor: TActor, memberIds: bigint[], toDepartmentId: string) {
  // Members, then the department: the order every membership change locks in (see member-row-lock.ts).
  const found = await tx.$queryRaw<{ id: bigint }[]>`
    SELECT id FROM users WHERE tenant_id = ${actor.tenantId} AND deleted_at IS NULL AND id = ANY(${memberIds}::bigint[])
    ORDER BY id FOR NO KEY UPDATE`;
  if (found.length !== memberIds.length) throw new NotFoundError(`${memberIds.length - found.length} of the selected members no longer exist`);
  const to = await lockDepartment(tx, actor.tenantId, toDepartmentId, "key share");
  if (to.kind === "departed") throw new InvalidTransitionError("Members join the Departed department by resigning, not by a transfer");

  const before = await tx.$queryRaw<{ user_id: bigint; departments: { id: string; name: string }[]; resigned: boolean }[]>`
    SELECT dm.user_id, json_agg(json_build_object('id', d.id::text, 'name', d.name) ORDER BY d.name) AS departments,
           bool_or(d.kind = 'departed') AS resigned
    FROM department_members dm JOIN departments d ON d.id = dm.department_id
    WHERE dm.user_id = ANY(${memberIds}::bigint[]) GROUP BY dm.user_id`;
  const departed = before.filter((row) => row.resigned);
  if (departed.length > 0) throw new InvalidTransitionError(`${departed.length} selected member(s) have resigned: they cannot be transferred`);

  await tx.$executeRaw`DELETE FROM department_members WHERE user_id = ANY(${memberIds}::bigint[]) AND department_id <> ${to.id}`;
  await tx.$executeRaw`
    INSERT INTO department_members (department_id, user_id) SELECT ${to.id}, unnest(${memberIds}::bigint[]) ON CONFLICT DO NOTHING`;
  await tx.$executeRaw`
    UPDATE users SET main_department_id = ${to.id}, last_modified_by = ${actor.memberId}, updated_at = now() WHERE id = ANY(${memberIds}::bigint[])`;
  return { to, before };
}

const uniqueIds = (ids: readonly string[]) => [...new Set(ids)].map((id) => BigInt(id));

/** Who would gain and lose what if these members were transferred; nothing changes. */
export async function previewMembersTransfer(db: TDatabase, actor: TActor, rawInput: TMembersTransferInput) {
  const input = ZMembersTransfer.parse(rawInput);
  return previewOf(db, (tx) => applyMembersTransfer(tx, actor, uniqueIds(input.memberIds), input.toDepartmentId));
}

/**
 * The transfer inside the caller's transaction (the directory sync moves the
 * members an LDAP move concerns with it): the same rules, audit and access changes.
 */
export async function transferMembersIn(tx: TTransaction, actor: TActor, memberIds: bigint[], toDepartmentId: string) {
  const { result } = await applyAuditingAccess(
    tx,
    actor,
    { action: "member.transferred", targetType: "department", targetId: BigInt(toDepartmentId) },
    () => applyMembersTransfer(tx, actor, memberIds, toDepartmentId),
    async ({ to, before }, _changes, all) => {
      const beforeByMember = new Map(before.map((row) => [row.user_id.toString(), row.departments]));
      const accessByMember = new Map(all.map((change) => [change.memberId, change]));
      await recordAuditEvents(tx, actor, {
        action: "member.transferred",
        targetType: "member",
        targets: memberIds.map((targetId) => ({
          targetId,
          changes: {
            departments: { before: beforeByMember.get(targetId.toString()) ?? [], after: [{ id: to.id.toString(), name: to.name }] },
            ...memberAccessTotalsChange(accessByMember.get(targetId.toString())),
          },
        })),
      });
    },
    { all: true },
  );
  return { transferred: memberIds.length, departmentId: result.to.id };
}

/**
 * Moves many members into one department at once: each leaves every other
 * department, the destination becomes their main one, and each gets an audit
 * event with their old and new departments and what their access gained and
 * lost, all in one transaction.
 */
export async function transferMembers(db: TDatabase, actor: TActor, rawInput: TMembersTransferInput) {
  const input = ZMembersTransfer.parse(rawInput);
  const memberIds = uniqueIds(input.memberIds);
  return db.$transaction((tx) => transferMembersIn(tx, actor, memberIds, input.toDepartmentId), { timeout: BULK_TIMEOUT_MS });
}
