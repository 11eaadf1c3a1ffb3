import type { TDatabaseOrTransaction } from "@/server/db/client";
import type { TDirectoryPreset } from "@/server/directories/attribute-mapping";

// Settings → Directories: an organisation has a handful (creating more than
// MAX_DIRECTORIES is refused), so one page holds them all.

export async function listDirectories(db: TDatabaseOrTransaction, tenantId: bigint) {
  const rows = await db.directory.findMany({
    where: { tenantId },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true, preset: true, url: true, baseDn: true, syncIntervalMinutes: true, lastSyncedAt: true, signInByBind: true },
  });
  const counts = await db.user.groupBy({ by: ["userDirectoryId"], where: { tenantId, userDirectoryId: { in: rows.map((row) => row.id) } }, _count: { _all: true } });
  const members = new Map(counts.map((count) => [count.userDirectoryId, count._count._all]));
  return rows.map((row) => ({
    id: row.id.toString(),
    name: row.name,
    preset: row.preset as TDirectoryPreset,
    url: row.url,
    baseDn: row.baseDn,
    syncIntervalMinutes: row.syncIntervalMinutes,
    lastSyncedAt: row.lastSyncedAt,
    signInByBind: row.signInByBind,
    memberCount: members.get(row.id) ?? 0,
  }));
}
