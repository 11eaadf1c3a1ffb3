import { disabledInSourceOffer } from "@/server/imports/disable-from-source";
import type { TDatabase } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import type { TIgnoredColumn } from "@/server/imports/columns";
import { ERRORS_SHOWN } from "@/server/imports/limits";
import type { TImportListInput } from "@/server/imports/schemas";

export const IMPORT_STATUSES = ["validating", "validated", "failed_validation", "queued", "applying", "completed", "failed", "cancelled"] as const;
export type TImportStatus = (typeof IMPORT_STATUSES)[number];

const SUMMARY_SELECT = {
  id: true,
  fileName: true,
  format: true,
  status: true,
  totalRows: true,
  validRows: true,
  errorRows: true,
  appliedRows: true,
  createdCount: true,
  updatedCount: true,
  unchangedCount: true,
  failedCount: true,
  ignoredColumns: true,
  missingColumns: true,
  failureMessage: true,
  createdAt: true,
  validatedAt: true,
  finishedAt: true,
  rowsPurgedAt: true,
  mapping: true,
} as const;

export type TImportRowError = { rowNumber: number; username: string | null; field: string | null; message: string };

/** An import as the console shows it: counts, progress, and the first errors (the report has them all). */
export async function getImport(db: TDatabase, tenantId: bigint, importId: bigint) {
  const found = await db.memberImport.findFirst({ where: { id: importId, tenantId }, select: SUMMARY_SELECT });
  if (!found) throw new NotFoundError("Import not found");
  const errors = await db.$queryRaw<{ row_number: number; username: string | null; field: string | null; message: string }[]>`
    SELECT e.row_number, r.username, e.field, e.message
    FROM member_import_errors e
    LEFT JOIN member_import_rows r ON r.import_id = e.import_id AND r.row_number = e.row_number
    WHERE e.import_id = ${importId}
    ORDER BY e.row_number, e.id
    LIMIT ${ERRORS_SHOWN}`;
  const { mapping, ...summary } = found;
  return {
    ...summary,
    id: found.id.toString(),
    sourceName: (mapping as { sourceName?: string } | null)?.sourceName ?? null,
    disabledInSource: await disabledInSourceOffer(db, tenantId, importId, found.status, mapping),
    status: found.status as TImportStatus,
    ignoredColumns: found.ignoredColumns as TIgnoredColumn[],
    missingColumns: found.missingColumns as string[],
    firstErrors: errors.map((error): TImportRowError => ({ rowNumber: error.row_number, username: error.username, field: error.field, message: error.message })),
  };
}
export type TImportSummary = Awaited<ReturnType<typeof getImport>>;

/** The tenant's imports, newest first, a keyset page at a time. */
export async function listImports(db: TDatabase, tenantId: bigint, input: TImportListInput) {
  const rows = await db.$queryRaw<
    {
      id: bigint;
      file_name: string;
      status: TImportStatus;
      total_rows: number;
      valid_rows: number;
      error_rows: number;
      created_count: number;
      updated_count: number;
      failed_count: number;
      created_at: Date;
      created_by_name: string | null;
    }[]
  >`
    SELECT i.id, i.file_name, i.status, i.total_rows, i.valid_rows, i.error_rows, i.created_count, i.updated_count, i.failed_count,
           i.created_at, u.full_name AS created_by_name
    FROM member_imports i LEFT JOIN users u ON u.id = i.created_by
    WHERE i.tenant_id = ${tenantId} AND (${input.cursor ?? null}::bigint IS NULL OR i.id < ${input.cursor ?? null}::bigint)
    ORDER BY i.id DESC
    LIMIT ${input.limit + 1}`;
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((row) => ({
      id: row.id.toString(),
      fileName: row.file_name,
      status: row.status,
      totalRows: row.total_rows,
      validRows: row.valid_rows,
      errorRows: row.error_rows,
      createdCount: row.created_count,
      updatedCount: row.updated_count,
      failedCount: row.failed_count,
      createdAt: row.created_at,
      createdByName: row.created_by_name,
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id.toString() ?? null) : null,
  };
}
