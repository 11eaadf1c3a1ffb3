import type { TDatabase } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { ZSyncEntryList, ZSyncRunList, type TSyncEntryListInput, type TSyncRunListInput } from "@/server/directories/sync-schemas";

// Reading runs: a directory's runs (newest first), one run's progress and
// counts, and its plan/report entries by action, keyset paginated.

const RUN_SELECT = {
  id: true,
  directoryId: true,
  kind: true,
  dryRun: true,
  status: true,
  entriesRead: true,
  creates: true,
  updates: true,
  moves: true,
  links: true,
  deprovisions: true,
  reenables: true,
  unchanged: true,
  errors: true,
  applied: true,
  stopReason: true,
  failureMessage: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

type TRunRow = { id: bigint; directoryId: bigint };
const asSummary = <T extends TRunRow>(run: T): Omit<T, "id" | "directoryId"> & { id: string; directoryId: string } => ({ ...run, id: run.id.toString(), directoryId: run.directoryId.toString() });

export async function listSyncRuns(db: TDatabase, tenantId: bigint, rawInput: TSyncRunListInput) {
  const input = ZSyncRunList.parse(rawInput);
  const directory = await db.directory.findFirst({ where: { id: BigInt(input.directoryId), tenantId }, select: { id: true, name: true, firstSyncApprovedAt: true } });
  if (!directory) throw new NotFoundError("No such directory");
  const runs = await db.directorySyncRun.findMany({
    where: { directoryId: directory.id, tenantId, ...(input.cursor ? { id: { lt: BigInt(input.cursor) } } : {}) },
    orderBy: { id: "desc" },
    take: input.limit + 1,
    select: RUN_SELECT,
  });
  const page = runs.slice(0, input.limit).map(asSummary);
  return {
    directory: { id: directory.id.toString(), name: directory.name, firstSyncApproved: directory.firstSyncApprovedAt !== null },
    runs: page,
    nextCursor: runs.length > input.limit ? page.at(-1)!.id : null,
  };
}

export async function getSyncRun(db: TDatabase, tenantId: bigint, runId: bigint) {
  const run = await db.directorySyncRun.findFirst({ where: { id: runId, tenantId }, select: { ...RUN_SELECT, directory: { select: { name: true } } } });
  if (!run) throw new NotFoundError("No such sync run");
  const { directory, ...rest } = run;
  return { ...asSummary(rest), directoryName: directory.name };
}

export async function listSyncEntries(db: TDatabase, tenantId: bigint, rawInput: TSyncEntryListInput) {
  const input = ZSyncEntryList.parse(rawInput);
  const run = await db.directorySyncRun.findFirst({ where: { id: BigInt(input.runId), tenantId }, select: { id: true } });
  if (!run) throw new NotFoundError("No such sync run");
  const entries = await db.directorySyncEntry.findMany({
    where: { runId: run.id, ...(input.action ? { action: input.action } : {}), ...(input.cursor ? { entryId: { gt: input.cursor } } : {}) },
    orderBy: { entryId: "asc" },
    take: input.limit + 1,
    select: { entryId: true, dn: true, action: true, memberId: true, record: true, changes: true, errors: true, appliedAt: true },
  });
  const page = entries.slice(0, input.limit).map((entry) => ({
    entryId: entry.entryId,
    dn: entry.dn,
    action: entry.action,
    memberId: entry.memberId?.toString() ?? null,
    username: (entry.record as { username?: string } | null)?.username ?? null,
    changes: entry.changes as Record<string, { before: unknown; after: unknown }> | null,
    errors: entry.errors as { field: string | null; message: string }[] | null,
    appliedAt: entry.appliedAt,
  }));
  return { entries: page, nextCursor: entries.length > input.limit ? page.at(-1)!.entryId : null };
}
