import type { TDatabaseOrTransaction } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { ZAttributeMapping, type TDirectoryPreset } from "@/server/directories/attribute-mapping";
import type { DEPARTMENT_SOURCES, DEPROVISION_ACTIONS, LINK_EXISTING_BY } from "@/server/directories/directory-schemas";
import type { Directory } from "@/server/db/generated/client";

// A directory as an admin sees it: every setting but the bind password, of
// which only its presence is told (write-only: never sealed nor opened in an answer).

export function directoryView(row: Directory, memberCount: number) {
  return {
    id: row.id.toString(),
    name: row.name,
    preset: row.preset as TDirectoryPreset,
    url: row.url,
    startTls: row.startTls,
    caCertificate: row.caCertificate,
    bindDn: row.bindDn,
    hasBindPassword: row.bindPasswordSealed !== null,
    baseDn: row.baseDn,
    userFilter: row.userFilter,
    pageSize: row.pageSize,
    syncIntervalMinutes: row.syncIntervalMinutes,
    attributeMapping: ZAttributeMapping.parse(row.attributeMapping),
    departmentSource: row.departmentSource as (typeof DEPARTMENT_SOURCES)[number],
    departmentAttribute: row.departmentAttribute,
    departmentParentId: row.departmentParentId?.toString() ?? null,
    groupBaseDn: row.groupBaseDn,
    groupFilter: row.groupFilter,
    linkExistingBy: row.linkExistingBy as (typeof LINK_EXISTING_BY)[number],
    deprovisionAction: row.deprovisionAction as (typeof DEPROVISION_ACTIONS)[number],
    reenableReturning: row.reenableReturning,
    safetyStopPercent: row.safetyStopPercent,
    signInByBind: row.signInByBind,
    firstSyncApprovedAt: row.firstSyncApprovedAt,
    lastSyncedAt: row.lastSyncedAt,
    memberCount,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    settingsUpdatedAt: row.settingsUpdatedAt,
  };
}
export type TDirectoryView = ReturnType<typeof directoryView>;

export async function countDirectoryMembers(db: TDatabaseOrTransaction, tenantId: bigint, directoryId: bigint): Promise<number> {
  return db.user.count({ where: { tenantId, userDirectoryId: directoryId } });
}

/** The organisation's directory, or NotFoundError (another organisation's id is not found either). */
export async function getDirectory(db: TDatabaseOrTransaction, tenantId: bigint, directoryId: bigint): Promise<TDirectoryView> {
  const row = await db.directory.findFirst({ where: { id: directoryId, tenantId } });
  if (!row) throw new NotFoundError("No such directory");
  return directoryView(row, await countDirectoryMembers(db, tenantId, row.id));
}
