import { escapeFilterValue } from "@/server/directories/ldap-filter";
import type { TDatabase, TTransaction } from "@/server/db/client";
import { TRANSITIONS } from "@/server/shared/member-states";
import { loadedDirectory } from "@/server/directories/load-directory";
import { mapDirectoryEntry } from "@/server/directories/map-entry";
import { requestedAttributes } from "@/server/directories/attribute-mapping";
import { DirectoryConnectionError, searchPages, withDirectoryConnection } from "@/server/directories/ldap-connection";
import { planSyncPage, type TStagedEntry } from "@/server/directories/plan-sync-page";
import { failRun, laterMark, lockRun, recountRun, syncDirectoryOf, touchRun } from "@/server/directories/sync-run-state";

// The read step of a run: a paged search, each page mapped, planned and
// staged (directory_sync_entries) in its own transaction as it arrives, so
// memory holds one page whatever the directory's size. A full run then adds
// a deprovision entry for each member whose entry it did not see, and the
// plan either waits (a first sync's dry run; the safety stop) or goes on to apply.

export type TReadOutcome = "apply" | "waiting" | "ended";

const TRANSACTION = { timeout: 120_000, maxWait: 30_000 } as const;

async function stageEntries(tx: TTransaction, runId: bigint, entries: TStagedEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((entry) => ({
    entry_id: entry.entryId,
    dn: entry.dn.slice(0, 1000),
    action: entry.action,
    member_id: entry.memberId?.toString() ?? null,
    record: entry.record,
    changes: entry.changes,
    errors: entry.errors,
  }));
  // A retried page (or the same entry twice in a search) replaces its row.
  await tx.$executeRaw`
    INSERT INTO directory_sync_entries (run_id, entry_id, dn, action, member_id, record, changes, errors)
    SELECT ${runId}, r.entry_id, r.dn, r.action, r.member_id, r.record, r.changes, r.errors
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(entry_id varchar, dn varchar, action varchar, member_id bigint, record jsonb, changes jsonb, errors jsonb)
    ON CONFLICT (run_id, entry_id) DO UPDATE SET dn = excluded.dn, action = excluded.action, member_id = excluded.member_id, record = excluded.record,
      changes = excluded.changes, errors = excluded.errors`;
}

/** Members of the directory whose entry this full run did not see: their entries are gone. */
async function stageMissing(tx: TTransaction, runId: bigint, directory: { id: bigint; tenantId: bigint; deprovisionAction: string }): Promise<void> {
  const action = directory.deprovisionAction as keyof typeof TRANSITIONS;
  const states = [...(TRANSITIONS[action] ?? TRANSITIONS.disable).from];
  await tx.$executeRaw`
    INSERT INTO directory_sync_entries (run_id, entry_id, dn, action, member_id, record)
    SELECT ${runId}, u.directory_entry_id, coalesce(u.directory_dn, ''), 'deprovision', u.id,
           jsonb_build_object('username', u.username::text, 'values', null, 'disabled', false, 'departments', null, 'reason', 'missing')
    FROM users u
    WHERE u.tenant_id = ${directory.tenantId} AND u.user_directory_id = ${directory.id} AND u.directory_entry_id IS NOT NULL
      AND u.state = ANY(${states}::text[])
      AND NOT EXISTS (SELECT 1 FROM directory_sync_entries e WHERE e.run_id = ${runId} AND e.entry_id = u.directory_entry_id)
    ON CONFLICT (run_id, entry_id) DO NOTHING`;
}

/** Why the plan must wait for an admin, or null: deprovisioning more than the directory's share of its members. */
async function safetyStopReason(tx: TTransaction, directory: { id: bigint; safetyStopPercent: number }, deprovisions: number): Promise<string | null> {
  if (deprovisions === 0) return null;
  const members = await tx.user.count({ where: { userDirectoryId: directory.id, deletedAt: null } });
  if (deprovisions * 100 <= directory.safetyStopPercent * members) return null;
  const share = members === 0 ? 100 : Math.round((deprovisions * 100) / members);
  return `This run would deprovision ${deprovisions} of the directory's ${members} members (${share}%), more than its safety stop of ${directory.safetyStopPercent}%. Check the base DN and filter, then approve or cancel it.`;
}

/** Claims a queued run (or a reading one whose worker died: it reads again from the start). */
async function claim(db: TDatabase, runId: bigint) {
  return db.$transaction(async (tx) => {
    const run = await lockRun(tx, runId);
    if (!run || (run.status !== "queued" && run.status !== "reading")) return null;
    await tx.$executeRaw`DELETE FROM directory_sync_entries WHERE run_id = ${runId}`;
    await tx.$executeRaw`
      UPDATE directory_sync_runs SET status = 'reading', started_at = coalesce(started_at, now()), heartbeat_at = now(), entries_read = 0, incremental_mark = NULL
      WHERE id = ${runId}`;
    return run;
  });
}

export async function readSyncRun(db: TDatabase, runId: bigint): Promise<TReadOutcome> {
  const run = await claim(db, runId);
  if (!run) return "ended";
  const row = await db.directory.findUniqueOrThrow({ where: { id: run.directory_id } });
  const directory = loadedDirectory(row);
  const planning = await syncDirectoryOf(db, row);
  const { mapping } = directory;
  const departmentAttribute = directory.departments.source === "attribute" ? directory.departments.attribute : null;
  const since = run.kind === "incremental" ? row.incrementalMark : null;
  const filter = since ? changedSince(row.userFilter, mapping.changeMark, since) : row.userFilter;
  let mark: string | null = null;
  try {
    await withDirectoryConnection(directory.connection, async (client) => {
      const pages = searchPages(client, {
        baseDn: row.baseDn,
        filter,
        attributes: requestedAttributes(mapping, departmentAttribute),
        pageSize: row.pageSize,
        binaryAttributes: mapping.entryIdFormat === "guid" ? [mapping.entryId] : [],
      });
      for await (const page of pages) {
        const mapped = page.map((entry) => mapDirectoryEntry(entry, mapping, directory.departments));
        for (const entry of mapped) mark = laterMark(mark, entry.changeMark, mapping.changeMark);
        const staged = await planSyncPage(db, planning, mapped);
        const still = await db.$transaction(async (tx) => {
          const current = await lockRun(tx, runId);
          if (current?.status !== "reading") return false;
          await stageEntries(tx, runId, staged);
          await tx.$executeRaw`
            UPDATE directory_sync_runs SET entries_read = entries_read + ${page.length}, incremental_mark = ${mark}, heartbeat_at = now() WHERE id = ${runId}`;
          return true;
        }, TRANSACTION);
        if (!still) throw new RunEnded();
      }
    });
  } catch (error) {
    if (error instanceof RunEnded) return "ended";
    if (error instanceof DirectoryConnectionError) {
      await failRun(db, runId, error.message);
      return "ended";
    }
    throw error;
  }
  return db.$transaction(async (tx) => {
    const current = await lockRun(tx, runId);
    if (current?.status !== "reading") return "ended" as const;
    if (run.kind === "full") await stageMissing(tx, runId, row);
    const counts = await recountRun(tx, runId);
    const stop = await safetyStopReason(tx, row, counts.deprovision ?? 0);
    const status = run.dry_run ? "awaiting_approval" : stop ? "stopped" : "applying";
    await tx.$executeRaw`UPDATE directory_sync_runs SET status = ${status}, stop_reason = ${stop}, heartbeat_at = now() WHERE id = ${runId}`;
    await touchRun(tx, runId);
    return status === "applying" ? ("apply" as const) : ("waiting" as const);
  }, TRANSACTION);
}

/**
 * Entries changed after the mark: strictly later (LDAP has only >=, so "not <="),
 * or every entry of the mark's own second would be read again on each run. A
 * change in that same second after the read is left to the daily full run.
 */
export function changedSince(userFilter: string, attribute: string, mark: string): string {
  const value = escapeFilterValue(mark);
  return `(&${userFilter}(${attribute}>=${value})(!(${attribute}<=${value})))`;
}

/** The run was cancelled (or taken over) while its pages were being read. */
class RunEnded extends Error {}
