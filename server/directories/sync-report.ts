import type { TDatabase } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { csvLine } from "@/server/members/csv";

// A run's report as CSV: every staged entry with its action, whether it was
// applied, and one line per error. Streamed a keyset page at a time.

export const SYNC_REPORT_COLUMNS = ["entry_id", "dn", "username", "action", "applied", "field", "message"] as const;
const PAGE = 1000;

type TLine = { entry_id: string; dn: string; username: string | null; action: string; applied: boolean; field: string | null; message: string | null };

export async function findSyncReport(db: TDatabase, tenantId: bigint, runId: bigint): Promise<{ directoryName: string }> {
  const run = await db.directorySyncRun.findFirst({ where: { id: runId, tenantId }, select: { directory: { select: { name: true } } } });
  if (!run) throw new NotFoundError("No such sync run");
  return { directoryName: run.directory.name };
}

async function* reportLines(db: TDatabase, runId: bigint, errorsOnly: boolean): AsyncGenerator<string> {
  yield "\uFEFF" + csvLine([...SYNC_REPORT_COLUMNS]);
  let after = "";
  for (;;) {
    const lines = await db.$queryRaw<TLine[]>`
      SELECT e.entry_id, e.dn, e.record->>'username' AS username, e.action, e.applied_at IS NOT NULL AS applied, x.field, x.message
      FROM (
        SELECT * FROM directory_sync_entries
        WHERE run_id = ${runId} AND entry_id > ${after} AND (NOT ${errorsOnly} OR action = 'error')
        ORDER BY entry_id LIMIT ${PAGE}
      ) e
      LEFT JOIN LATERAL jsonb_to_recordset(coalesce(e.errors, '[]'::jsonb)) AS x(field text, message text) ON true
      ORDER BY e.entry_id`;
    if (lines.length === 0) return;
    yield lines.map((line) => csvLine([line.entry_id, line.dn, line.username, line.action, line.applied ? "yes" : "no", line.field, line.message])).join("");
    after = lines.at(-1)!.entry_id;
  }
}

export function syncReportStream(db: TDatabase, runId: bigint, errorsOnly: boolean): ReadableStream<Uint8Array> {
  const lines = reportLines(db, runId, errorsOnly);
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}
