import type { TDatabase } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { csvLine } from "@/server/members/csv";

// The import's report as CSV: every row with its outcome, one line per error
// (row number, username, outcome, field, message). Streamed a keyset page at
// a time, as the export is, so a 100,000-row report never sits in memory.

export const REPORT_COLUMNS = ["row", "username", "outcome", "field", "message"] as const;
const PAGE = 1000;

type TReportLine = { row_number: number; username: string | null; outcome: string | null; field: string | null; message: string | null };

/** Checks the import is the tenant's and still has its rows; the report's file name. */
export async function findReport(db: TDatabase, tenantId: bigint, importId: bigint): Promise<{ fileName: string; status: string }> {
  const found = await db.memberImport.findFirst({ where: { id: importId, tenantId }, select: { fileName: true, status: true, rowsPurgedAt: true } });
  if (!found) throw new NotFoundError("Import not found");
  if (found.rowsPurgedAt) throw new NotFoundError("This import's rows have been deleted (they are kept for a few days only)");
  return { fileName: found.fileName, status: found.status };
}

/** A valid row not applied (yet): "valid" before apply, "not applied" once the import has ended without it. */
const pendingOutcome = (status: string) => (["validated", "queued", "applying"].includes(status) ? "valid" : "not applied");

async function* reportLines(db: TDatabase, importId: bigint, status: string, errorsOnly: boolean): AsyncGenerator<string> {
  let after = 0;
  for (;;) {
    const lines = await db.$queryRaw<TReportLine[]>`
      SELECT r.row_number, r.username, r.outcome, e.field, e.message
      FROM (
        SELECT row_number, username, outcome FROM member_import_rows
        WHERE import_id = ${importId} AND row_number > ${after} AND (NOT ${errorsOnly} OR outcome IN ('invalid', 'failed'))
        ORDER BY row_number LIMIT ${PAGE}
      ) r
      LEFT JOIN member_import_errors e ON e.import_id = ${importId} AND e.row_number = r.row_number
      ORDER BY r.row_number, e.id`;
    if (lines.length === 0) return;
    yield lines.map((line) => csvLine([line.row_number, line.username, line.outcome ?? pendingOutcome(status), line.field, line.message])).join("");
    after = lines.at(-1)!.row_number;
  }
}

export function reportStream(db: TDatabase, importId: bigint, status: string, errorsOnly: boolean): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const lines = reportLines(db, importId, status, errorsOnly);
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${csvLine(REPORT_COLUMNS)}`));
        return;
      }
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}
