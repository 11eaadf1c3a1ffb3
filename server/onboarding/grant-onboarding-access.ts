import { Prisma } from "@/server/db/generated/client";
import type { TTransaction } from "@/server/db/client";
import { asReferences, chosenItemsSql, refuseUnresolved, type TItemReference, type TTemplateItemKind, type TTemplateItems } from "@/server/role-templates/template-items";
import type { TOnboardMember } from "@/server/onboarding/schemas";

type TAccessKindGrants = Exclude<TTemplateItemKind, "departments">;

// Where each kind is granted to a member. Fixed names, never user input.
const GRANTS: Record<TAccessKindGrants, { table: string; column: string }> = {
  applications: { table: "member_applications", column: "application_id" },
  roles: { table: "member_roles", column: "role_id" },
  groups: { table: "member_groups", column: "group_id" },
};

async function joinDepartments(tx: TTransaction, tenantId: bigint, memberId: bigint, ids: string[]): Promise<TItemReference[]> {
  if (ids.length === 0) return [];
  const rows = await tx.$queryRaw<{ id: bigint; name: string }[]>`
    WITH chosen AS (${chosenItemsSql("departments", tenantId, ids.map((id) => BigInt(id)))}),
    joined AS (INSERT INTO department_members (department_id, user_id) SELECT id, ${memberId} FROM chosen RETURNING department_id AS id)
    SELECT c.id, c.name FROM chosen c JOIN joined j ON j.id = c.id ORDER BY lower(c.name), c.id`;
  refuseUnresolved("departments", ids.length, rows.length);
  return asReferences(rows);
}

async function grantKind(tx: TTransaction, tenantId: bigint, memberId: bigint, grantedBy: bigint | null, kind: TAccessKindGrants, ids: string[]): Promise<TItemReference[]> {
  if (ids.length === 0) return [];
  const column = Prisma.raw(`"${GRANTS[kind].column}"`);
  const rows = await tx.$queryRaw<{ id: bigint; name: string }[]>`
    WITH chosen AS (${chosenItemsSql(kind, tenantId, ids.map((id) => BigInt(id)))}),
    granted AS (
      INSERT INTO ${Prisma.raw(`"${GRANTS[kind].table}"`)} (user_id, ${column}, granted_by) SELECT ${memberId}, id, ${grantedBy} FROM chosen
      RETURNING ${column} AS id
    )
    SELECT c.id, c.name FROM chosen c JOIN granted g ON g.id = c.id ORDER BY lower(c.name), c.id`;
  refuseUnresolved(kind, ids.length, rows.length);
  return asReferences(rows);
}

/**
 * Gives a member just created their departments (and main one), applications,
 * roles and groups: one statement per kind, each id resolved within the
 * tenant. An id that does not resolve (another tenant's, deleted meanwhile)
 * fails the whole onboarding with a field error: the caller's transaction rolls back.
 */
export async function grantOnboardingAccess(
  tx: TTransaction,
  actor: { tenantId: bigint; memberId: bigint | null },
  memberId: bigint,
  input: Pick<TOnboardMember, "departmentIds" | "mainDepartmentId" | "applicationIds" | "roleIds" | "groupIds">,
): Promise<TTemplateItems & { mainDepartment: TItemReference | null }> {
  const departments = await joinDepartments(tx, actor.tenantId, memberId, input.departmentIds);
  const mainDepartment = departments.find((department) => department.id === input.mainDepartmentId) ?? null;
  // The composite foreign key takes only one of the member's departments: set after joining them.
  if (mainDepartment) await tx.user.update({ where: { id: memberId }, data: { mainDepartmentId: BigInt(mainDepartment.id) } });
  return {
    departments,
    mainDepartment,
    applications: await grantKind(tx, actor.tenantId, memberId, actor.memberId, "applications", input.applicationIds),
    roles: await grantKind(tx, actor.tenantId, memberId, actor.memberId, "roles", input.roleIds),
    groups: await grantKind(tx, actor.tenantId, memberId, actor.memberId, "groups", input.groupIds),
  };
}
