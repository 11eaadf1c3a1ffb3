import type { TTransaction } from "@/server/db/client";
import { creationChanges, recordAuditEvent } from "@/server/audit/record-audit-event";
import type { TActor } from "@/server/shared/actor";
import { lockDepartmentTree } from "@/server/org/tree-lock";
import type { TDepartmentLevel } from "@/server/directories/department-chain";

// The departments a batch's entries sit in, found or created (keyed by
// directory and key, under the directory's parent department or the top),
// renamed when LDAP's spelling changed. A department of the same name that
// no directory mirrors yet is adopted rather than duplicated.

type TMirrorDirectory = { id: bigint; tenantId: bigint; departmentParentId: bigint | null };

/** Department ids by key for every level of the chains, creating what is missing; in the caller's transaction. */
export async function mirrorDepartments(tx: TTransaction, actor: TActor, directory: TMirrorDirectory, chains: TDepartmentLevel[][]): Promise<Map<string, bigint>> {
  const ids = new Map<string, bigint>();
  if (chains.length === 0) return ids;
  const keys = [...new Set(chains.flat().map((level) => level.key))];
  const existing = await tx.department.findMany({ where: { tenantId: directory.tenantId, directoryId: directory.id, directoryKey: { in: keys } }, select: { id: true, name: true, directoryKey: true } });
  for (const department of existing) ids.set(department.directoryKey!, department.id);
  const renamed = new Map(existing.map((department) => [department.directoryKey!, department.name]));
  if (chains.every((chain) => chain.every((level) => ids.has(level.key) && renamed.get(level.key) === level.name))) return ids;

  // Structural changes of the tree run one at a time (the console's rule).
  await lockDepartmentTree(tx, directory.tenantId);
  for (const chain of chains) {
    let parentId = directory.departmentParentId;
    for (const level of chain) {
      const found = ids.get(level.key) ?? (await adopt(tx, directory, level, parentId));
      if (found !== undefined) {
        ids.set(level.key, found);
        if (renamed.has(level.key) && renamed.get(level.key) !== level.name) {
          await tx.department.update({ where: { id: found }, data: { name: level.name } });
          await recordAuditEvent(tx, actor, { action: "department.renamed", targetType: "department", targetId: found, changes: { name: { before: renamed.get(level.key)!, after: level.name } } });
          renamed.set(level.key, level.name);
        }
        parentId = found;
        continue;
      }
      const created = await tx.department.create({
        data: { tenantId: directory.tenantId, name: level.name, parentId, directoryId: directory.id, directoryKey: level.key },
        select: { id: true },
      });
      await recordAuditEvent(tx, actor, { action: "department.created", targetType: "department", targetId: created.id, changes: creationChanges({ name: level.name, parentId: parentId?.toString() ?? null }) });
      ids.set(level.key, created.id);
      renamed.set(level.key, level.name);
      parentId = created.id;
    }
  }
  return ids;
}

/** A regular department of that name under that parent, mirrored by no directory: it becomes this directory's. */
async function adopt(tx: TTransaction, directory: TMirrorDirectory, level: TDepartmentLevel, parentId: bigint | null): Promise<bigint | undefined> {
  const [found] = await tx.$queryRaw<{ id: bigint }[]>`
    UPDATE departments SET directory_id = ${directory.id}, directory_key = ${level.key}, updated_at = now()
    WHERE id = (SELECT id FROM departments WHERE tenant_id = ${directory.tenantId} AND coalesce(parent_id, 0) = coalesce(${parentId}::bigint, 0)
                AND lower(name) = lower(${level.name}) AND kind = 'regular' AND directory_id IS NULL LIMIT 1)
    RETURNING id`;
  return found?.id;
}
