import type { TDatabaseOrTransaction } from "@/server/db/client";
import { createDepartment } from "@/server/org/manage-departments";
import { joinDepartment } from "@/server/org/join-department";
import { setMainDepartment } from "@/server/org/set-main-department";
import { scimServiceActor, type TScimCaller } from "@/server/scim/scim-actor";
import { invalidValue } from "@/server/scim/scim-errors";
import { getScimSettings } from "@/server/scim/scim-settings";
import { ENTERPRISE_SCHEMA } from "@/server/scim/scim-user-resource";

// The enterprise extension's department, by name ("Sales") or by path
// ("Europe/Sales"), becomes the member's main department; created (as a
// top-level department, or under the path's parent) only when the
// organisation's SCIM settings allow it, else invalidValue.

async function findByPath(db: TDatabaseOrTransaction, tenantId: bigint, parts: string[]): Promise<bigint | null | "ambiguous"> {
  if (parts.length === 1) {
    const matches = await db.$queryRaw<{ id: bigint }[]>`
      SELECT id FROM departments WHERE tenant_id = ${tenantId} AND kind = 'regular' AND lower(name) = lower(${parts[0]!}) ORDER BY id LIMIT 2`;
    return matches.length === 0 ? null : matches.length > 1 ? "ambiguous" : matches[0]!.id;
  }
  let parentId: bigint | null = null;
  for (const part of parts) {
    const [match]: { id: bigint }[] = await db.$queryRaw<{ id: bigint }[]>`
      SELECT id FROM departments WHERE tenant_id = ${tenantId} AND kind = 'regular' AND lower(name) = lower(${part})
        AND parent_id IS NOT DISTINCT FROM ${parentId}::bigint LIMIT 1`;
    if (!match) return null;
    parentId = match.id;
  }
  return parentId;
}

export async function assignDepartment(db: TDatabaseOrTransaction, caller: TScimCaller, memberId: bigint, department: string): Promise<void> {
  const attribute = `${ENTERPRISE_SCHEMA}:department`;
  const parts = department.split("/").map((part) => part.trim()).filter(Boolean);
  if (parts.length === 0 || parts.length > 20) throw invalidValue(`${attribute}: a department name or a path such as Europe/Sales`);
  let departmentId = await findByPath(db, caller.tenantId, parts);
  if (departmentId === "ambiguous") throw invalidValue(`${attribute}: several departments are called ${department}: send its path (Parent/Child)`);
  const actor = scimServiceActor(caller);
  if (departmentId === null) {
    if (!(await getScimSettings(db, caller.tenantId)).createDepartments) {
      throw invalidValue(`${attribute}: no department ${department} in Tenure (an administrator can let SCIM create departments in Settings → Provisioning)`);
    }
    const parentId = parts.length > 1 ? await findByPath(db, caller.tenantId, parts.slice(0, -1)) : null;
    if (parentId === "ambiguous") throw invalidValue(`${attribute}: the path ${department} is ambiguous`);
    const created = await createDepartment(db, actor, { name: parts.at(-1)!, parentId: parentId?.toString() ?? null });
    departmentId = created.id;
  }
  const already = await db.departmentMember.findUnique({ where: { departmentId_userId: { departmentId, userId: memberId } }, select: { userId: true } });
  const member = await db.user.findUniqueOrThrow({ where: { id: memberId }, select: { mainDepartmentId: true } });
  if (already && member.mainDepartmentId === departmentId) return;
  if (!already) await joinDepartment(db, actor, { memberId: memberId.toString(), departmentId: departmentId.toString(), main: true });
  else await setMainDepartment(db, actor, { memberId: memberId.toString(), departmentId: departmentId.toString() });
}
