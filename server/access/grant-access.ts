import type { TDatabase, TTransaction, TDatabaseOrTransaction } from "@/server/db/client";
import { inTransaction } from "@/server/db/in-transaction";
import { accessTotalsChange, applyAuditingAccess, previewOf, signingOutOfLostApplications } from "@/server/access-changes/apply-access-change";
import { assertAuthorityOver, type TAuthorityActor } from "@/server/shared/member-authority";
import { recordAuditEvent, recordAuditEvents } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { tablesOf } from "@/server/access/catalog-tables";
import { findCatalogItem } from "@/server/access/manage-catalog";
import { ZAccessGrant, ZAccessRevoke, ZRolePolicies, type TAccessGrantInput, type TAccessKind } from "@/server/access/schemas";
import { InvalidTransitionError, NotFoundError } from "@/server/errors";
import { grantRefusal } from "@/server/shared/member-states";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import type { z } from "zod";

/** A role held by many members recomputes all their permissions: more than the default 5 s may pass. */
const ROLE_HOLDERS_TIMEOUT_MS = 120_000;

/** Roles and policies carry permissions: granting or revoking one asks for a recent step-up. */
const carriesPermissions = (kind: TAccessKind) => kind === "role" || kind === "policy";

/**
 * Grants one role, group, application or policy to many members in one
 * set-based transaction; members who already hold it are left as they are.
 * Each new grant gets an audit event.
 */
export async function grantToMembers(db: TDatabaseOrTransaction, actor: TActor & TStepUpSession & TAuthorityActor, rawInput: TAccessGrantInput) {
  const input = ZAccessGrant.parse(rawInput);
  if (carriesPermissions(input.kind)) await assertStepUp(db, actor, "access.grant");
  const { grantsSql, columnSql, label } = tablesOf(input.kind);
  const memberIds = [...new Set(input.memberIds)].map((id) => BigInt(id));
  return inTransaction(db, async (tx) => {
    const item = await findCatalogItem(tx, actor.tenantId, input.kind, input.itemId);
    // FOR SHARE: a lifecycle action on these members waits until the grant is done, and vice versa.
    const members = await tx.$queryRaw<{ id: bigint; username: string; state: string }[]>`
      SELECT id, username::text, state FROM users WHERE tenant_id = ${actor.tenantId} AND id = ANY(${memberIds}::bigint[]) ORDER BY id FOR SHARE`;
    if (members.length !== memberIds.length) throw new NotFoundError(`${memberIds.length - members.length} of the selected members no longer exist`);
    await assertAuthorityOver(tx, actor, memberIds);
    const refused = members.flatMap((member) => {
      const message = grantRefusal(input.kind, member.state);
      return message ? [{ memberId: member.id.toString(), username: member.username, message }] : [];
    });
    if (memberIds.length === 1 && refused[0]) throw new InvalidTransitionError(refused[0].message);
    const grantable = members.filter((member) => !grantRefusal(input.kind, member.state)).map((member) => member.id);
    const granted = await tx.$queryRaw<{ user_id: bigint }[]>`
      INSERT INTO ${grantsSql} (user_id, ${columnSql}, granted_by)
      SELECT unnest(${grantable}::bigint[]), ${item.id}, ${actor.memberId}
      ON CONFLICT DO NOTHING
      RETURNING user_id`;
    const changes = { [label]: { before: null, after: { id: item.id.toString(), name: item.name } } };
    await recordAuditEvents(tx, actor, {
      action: `member.${label}_granted`,
      targetType: "member",
      targets: granted.map((row) => ({ targetId: row.user_id, changes })),
    });
    return { granted: granted.length, alreadyHeld: grantable.length - granted.length, refused };
  });
}

export async function revokeFromMember(db: TDatabaseOrTransaction, actor: TActor & TStepUpSession & TAuthorityActor, rawInput: z.input<typeof ZAccessRevoke>) {
  const input = ZAccessRevoke.parse(rawInput);
  if (carriesPermissions(input.kind)) await assertStepUp(db, actor, "access.revoke");
  const { grantsSql, columnSql, label } = tablesOf(input.kind);
  return inTransaction(db, async (tx) => {
    const item = await findCatalogItem(tx, actor.tenantId, input.kind, input.itemId);
    const memberId = BigInt(input.memberId);
    const member = await tx.user.findFirst({ where: { id: memberId, tenantId: actor.tenantId }, select: { id: true } });
    if (!member) throw new NotFoundError("Member not found");
    await assertAuthorityOver(tx, actor, [memberId]);
    // Losing an application (directly, or with a group that carried it) signs the member out of it.
    const removed = await signingOutOfLostApplications(tx, actor.tenantId, () => tx.$executeRaw`DELETE FROM ${grantsSql} WHERE user_id = ${memberId} AND ${columnSql} = ${item.id}`);
    if (removed === 0) throw new InvalidTransitionError(`The member does not hold the ${label} “${item.name}”`);
    await recordAuditEvent(tx, actor, {
      action: `member.${label}_revoked`,
      targetType: "member",
      targetId: memberId,
      changes: { [label]: { before: { id: item.id.toString(), name: item.name }, after: null } },
    });
    return { revoked: true };
  });
}

/** The change of a role's policies without its audit, shared by the change and its preview. */
async function applyRolePolicies(tx: TTransaction, actor: TActor, input: z.output<typeof ZRolePolicies>) {
  const policyIds = [...new Set(input.policyIds)].map((id) => BigInt(id));
  const role = await findCatalogItem(tx, actor.tenantId, "role", input.roleId);
  const found = await tx.policy.count({ where: { tenantId: actor.tenantId, id: { in: policyIds } } });
  if (found !== policyIds.length) throw new NotFoundError("A chosen policy does not exist");
  const before = await tx.rolePolicy.findMany({ where: { roleId: role.id }, select: { policy: { select: { permission: true } } } });
  await tx.rolePolicy.deleteMany({ where: { roleId: role.id, policyId: { notIn: policyIds } } });
  await tx.rolePolicy.createMany({ data: policyIds.map((policyId) => ({ roleId: role.id, policyId })), skipDuplicates: true });
  const after = await tx.rolePolicy.findMany({ where: { roleId: role.id }, select: { policy: { select: { permission: true } } } });
  const permissions = (rows: typeof after) => rows.map((row) => row.policy.permission).sort();
  return { role, before: permissions(before), after: permissions(after) };
}

/**
 * Who would gain and lose which permission if the role carried exactly these
 * policies; nothing changes, so it asks no step-up (the change itself does).
 */
export async function previewRolePolicies(db: TDatabase, actor: TActor, rawInput: z.input<typeof ZRolePolicies>) {
  const input = ZRolePolicies.parse(rawInput);
  return previewOf(db, (tx) => applyRolePolicies(tx, actor, input));
}

/** Sets exactly which policies a role carries; every holder's permissions change with it, recorded per member. */
export async function setRolePolicies(db: TDatabase, actor: TActor & TStepUpSession, rawInput: z.input<typeof ZRolePolicies>) {
  const input = ZRolePolicies.parse(rawInput);
  await assertStepUp(db, actor, "access.role_policies");
  return db.$transaction(
    async (tx) => {
      const { result } = await applyAuditingAccess(
        tx,
        actor,
        { action: "role.policies_set", targetType: "role", targetId: BigInt(input.roleId) },
        () => applyRolePolicies(tx, actor, input),
        async ({ role, before, after }, changes) => {
          await recordAuditEvent(tx, actor, {
            action: "role.policies_set",
            targetType: "role",
            targetId: role.id,
            changes: { policies: { before, after }, ...accessTotalsChange(changes) },
          });
        },
      );
      return { policies: result.after };
    },
    { timeout: ROLE_HOLDERS_TIMEOUT_MS },
  );
}
