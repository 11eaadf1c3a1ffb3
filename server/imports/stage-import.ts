import { setImmediate } from "node:timers/promises";
import type { TDatabase } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import type { TImportMapping } from "@/server/imports/mapping-schemas";
import type { TActor } from "@/server/shared/actor";
import { REQUIRED_FOR_NEW_MEMBER } from "@/server/imports/columns";
import { DepartmentResolver } from "@/server/imports/department-resolver";
import { getImport, type TImportSummary } from "@/server/imports/get-import";
import { ImportFileError } from "@/server/imports/import-file-error";
import { checkImportRow, type TCheckedRow } from "@/server/imports/import-row";
import { STAGE_BATCH_ROWS } from "@/server/imports/limits";
import { openImportFile, type ColumnReport } from "@/server/imports/read-records";
import { analyzeUsersIfNeverAnalyzed } from "@/server/imports/refresh-statistics";
import { printableText } from "@/server/validation/text";
import { copyRows, inBulkTransaction } from "@/server/db/copy-rows";
import { textArray } from "@/server/db/binary-arrays";
import { markRowsWithErrors, recordInFileDuplicates, recordMemberConflicts } from "@/server/imports/row-conflicts";

export type TImportActor = TActor & { memberId: bigint; sysAdmin: number };
type TStagedRow = TCheckedRow & { rowNumber: number };

// The parser hands records over in microtasks for a whole chunk of the file, so without a turn of the event loop
// now and then the database's answers for the batch being written waited for the chunk, one round trip at a time,
// and the reading then stalled on that batch: a third of the dry run was idle. A turn every 50 rows costs nothing.
const YIELD_EVERY_ROWS = 50;

/** A file name fit for display: no path, no control characters, bounded. */
function displayName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? "";
  return printableText(base).trim().slice(0, 255) || "upload";
}

/** Text cut to a column's length in characters (code points, as PostgreSQL counts them). */
const leftChars = (text: string, length: number) => (text.length <= length ? text : [...text].slice(0, length).join(""));

/**
 * One transaction per batch: the rows and their errors by COPY, and the progress (which also tells the
 * watchdog the dry run is alive). COPY streams the batch in small chunks instead of one JSON parameter.
 * Each row is staged linked to the member its username names (member_id), found just before: the checks
 * then reach that member by id, and the apply probes only the members rows were linked to (lockCurrentMembers).
 */
async function writeStagedRows(importId: bigint, tenantId: bigint, rows: TStagedRow[]): Promise<void> {
  if (rows.length === 0) return;
  const id = importId.toString();
  await inBulkTransaction(async (client) => {
    const found = await client.query<{ n: string; id: string }>(
      `SELECT k.n, found.id FROM unnest($2::text[]) WITH ORDINALITY AS k(username, n)
       CROSS JOIN LATERAL (SELECT u.id FROM users u WHERE u.tenant_id = $1 AND u.username = k.username::citext LIMIT 1) found`,
      [tenantId.toString(), textArray(rows.map((row) => row.values?.username ?? null))],
    );
    const memberOf = new Map(found.rows.map((row) => [Number(row.n) - 1, row.id]));
    await copyRows(
      client,
      "member_import_rows",
      ["import_id", "row_number", "username", "values", "outcome", "member_id"],
      rows.map((row, index) => [id, row.rowNumber, row.username, row.values, row.values === null ? "invalid" : null, memberOf.get(index) ?? null]),
    );
    const errors = rows.flatMap((row) => row.problems.map((problem) => [id, row.rowNumber, problem.field && leftChars(problem.field, 60), leftChars(problem.message, 500)] as const));
    if (errors.length > 0) await copyRows(client, "member_import_errors", ["import_id", "row_number", "field", "message"], errors);
    await client.query("UPDATE member_imports SET total_rows = $1, updated_at = now() WHERE id = $2", [rows.at(-1)!.rowNumber, id]);
  });
}

/**
 * A batch staged, then checked against the directory's members: the database does it while the next batch is read
 * and checked (the checks across rows need the whole file and wait for the end).
 */
async function stageAndCheck(db: TDatabase, importId: bigint, actor: TImportActor, rows: TStagedRow[]): Promise<void> {
  if (rows.length === 0) return;
  await writeStagedRows(importId, actor.tenantId, rows);
  await recordMemberConflicts(db, { importId, tenantId: actor.tenantId, fromRow: rows[0]!.rowNumber, toRow: rows.at(-1)!.rowNumber }, actor, { byLink: true });
}

/** After the last row: the checks across rows, then the counts. One transaction. (Rows were checked against the directory batch by batch.) */
async function finishDryRun(db: TDatabase, importId: bigint, columns: ColumnReport, totalRows: number): Promise<void> {
  await db.$transaction(
    async (tx) => {
      await recordInFileDuplicates(tx, importId);
      await markRowsWithErrors(tx, { importId, fromRow: 1, toRow: totalRows }, "invalid");
      const missing: string[] = REQUIRED_FOR_NEW_MEMBER.filter((field) => !columns.seenFields.has(field));
      // A new member needs one of the two (an account by mobile or email).
      if (!columns.seenFields.has("email") && !columns.seenFields.has("mobile")) missing.push("email or mobile");
      await tx.$executeRaw`
        UPDATE member_imports SET
          status = 'validated', total_rows = ${totalRows},
          valid_rows = (SELECT count(*) FROM member_import_rows WHERE import_id = ${importId} AND outcome IS NULL),
          error_rows = (SELECT count(*) FROM member_import_rows WHERE import_id = ${importId} AND outcome = 'invalid'),
          ignored_columns = ${JSON.stringify(columns.ignoredColumns())}::jsonb, missing_columns = ${JSON.stringify(missing)}::jsonb,
          validated_at = now(), updated_at = now()
        WHERE id = ${importId}`;
    },
    { timeout: 300_000, maxWait: 10_000 },
  );
}

async function failValidation(db: TDatabase, importId: bigint, message: string): Promise<void> {
  // The staged rows of a refused file are of no use to anyone: they go at once.
  await db.$transaction([
    db.memberImportRow.deleteMany({ where: { importId } }),
    db.memberImportError.deleteMany({ where: { importId } }),
    db.memberImport.update({
      where: { id: importId },
      data: { status: "failed_validation", failureMessage: message.slice(0, 500), totalRows: 0, finishedAt: new Date(), updatedAt: new Date(), rowsPurgedAt: new Date() },
    }),
  ]);
}

const rawUsername = (value: unknown) => (typeof value === "string" || typeof value === "number" ? printableText(String(value)).trim().slice(0, 200) || null : null);

/**
 * The dry run: reads the upload as it arrives, checks every row, stages rows
 * and errors a batch at a time (memory holds one batch whatever the file's
 * size), then checks across rows and against the directory. Writes no member.
 */
export async function stageImport(
  db: TDatabase,
  actor: TImportActor,
  upload: { fileName: string; body: AsyncIterable<Uint8Array>; mapping?: TImportMapping | null },
): Promise<TImportSummary> {
  const mapping = upload.mapping ?? null;
  const created = await db.memberImport.create({
    data: { tenantId: actor.tenantId, createdBy: actor.memberId, fileName: displayName(upload.fileName), format: "csv", mapping: mapping ?? Prisma.DbNull },
    select: { id: true },
  });
  const importId = created.id;
  // One batch is written while the next is read and checked: the database and the parsing each keep a core busy.
  // At most one write is in flight, so memory holds two batches whatever the file's size.
  let writing: Promise<void> = Promise.resolve();
  try {
    const file = await openImportFile(upload.body, { mapping });
    await db.memberImport.update({ where: { id: importId }, data: { format: file.format } });
    const departments = await DepartmentResolver.load(db, actor.tenantId);
    let batch: TStagedRow[] = [];
    let totalRows = 0;
    for await (const record of file.records) {
      totalRows = record.rowNumber;
      const checked: TCheckedRow = record.problem
        ? { username: rawUsername(record.cells.username), values: null, problems: [{ field: null, message: record.problem }] }
        : checkImportRow(record.cells, departments);
      // Disabled in the system the file comes from: imported as a member, then offered as a lifecycle disable.
      if (checked.values && record.sourceStatus === "disabled") checked.values.disabledInSource = true;
      batch.push({ rowNumber: record.rowNumber, ...checked });
      if (batch.length % YIELD_EVERY_ROWS === 0) await setImmediate();
      if (batch.length >= STAGE_BATCH_ROWS) {
        await writing;
        writing = stageAndCheck(db, importId, actor, batch);
        // Handled here so a failing write is not an unhandled rejection while the next batch is read; awaited (and thrown) below.
        writing.catch(() => undefined);
        batch = [];
      }
    }
    await writing;
    await stageAndCheck(db, importId, actor, batch);
    if (totalRows === 0) throw new ImportFileError("The file has no rows: nothing to import");
    await analyzeUsersIfNeverAnalyzed(db);
    // Fresh statistics for the apply's batch lookups (the table may just have grown by 100,000 rows), gathered beside
    // the checks across rows rather than after them.
    const statistics = db.$executeRaw`ANALYZE member_import_rows`;
    statistics.catch(() => undefined);
    await finishDryRun(db, importId, file.columns, totalRows);
    await statistics;
  } catch (error) {
    // A batch still being written would otherwise land after the clean-up below.
    await writing.catch(() => undefined);
    if (!(error instanceof ImportFileError)) {
      await failValidation(db, importId, "The upload was interrupted before the whole file was read").catch(() => undefined);
      throw error;
    }
    await failValidation(db, importId, error.message);
  }
  return getImport(db, actor.tenantId, importId);
}
