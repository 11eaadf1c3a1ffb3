-- Member import (server/imports): an uploaded file is validated row by row
-- into staging tables (the dry run), then applied by a background job in
-- batches, each batch one transaction that also moves the checkpoint
-- (applied_rows), so a worker that dies redoes at most one batch.

CREATE TABLE "member_imports" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" BIGINT NOT NULL,
    "created_by" BIGINT,
    "applied_by" BIGINT,
    "file_name" VARCHAR(255) NOT NULL,
    "format" VARCHAR(10) NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'validating',
    "total_rows" INTEGER NOT NULL DEFAULT 0,
    "valid_rows" INTEGER NOT NULL DEFAULT 0,
    "error_rows" INTEGER NOT NULL DEFAULT 0,
    -- The checkpoint: every row numbered up to it has its outcome.
    "applied_rows" INTEGER NOT NULL DEFAULT 0,
    "created_count" INTEGER NOT NULL DEFAULT 0,
    "updated_count" INTEGER NOT NULL DEFAULT 0,
    "unchanged_count" INTEGER NOT NULL DEFAULT 0,
    "failed_count" INTEGER NOT NULL DEFAULT 0,
    -- [{ "column": "...", "reason": "..." }]: columns of the file that the import does not write.
    "ignored_columns" JSONB NOT NULL DEFAULT '[]',
    -- Fields a new member needs that the file has no column for: such rows can only update.
    "missing_columns" JSONB NOT NULL DEFAULT '[]',
    "failure_message" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "validated_at" TIMESTAMPTZ(3),
    "queued_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    -- Staged rows hold personal data: they are deleted some days after the import ends.
    "rows_purged_at" TIMESTAMPTZ(3),
    CONSTRAINT "member_imports_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "member_imports_format_check" CHECK ("format" IN ('csv', 'json', 'ndjson')),
    CONSTRAINT "member_imports_status_check" CHECK ("status" IN
        ('validating', 'validated', 'failed_validation', 'queued', 'applying', 'completed', 'failed', 'cancelled'))
);
CREATE INDEX "member_imports_tenant_id_id_idx" ON "member_imports" ("tenant_id", "id");
-- The maintenance jobs look for stalled and finished imports by status and age.
CREATE INDEX "member_imports_status_updated_at_idx" ON "member_imports" ("status", "updated_at");
ALTER TABLE "member_imports" ADD CONSTRAINT "member_imports_tenant_id_fkey"
    FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "member_imports" ADD CONSTRAINT "member_imports_created_by_fkey"
    FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "member_imports" ADD CONSTRAINT "member_imports_applied_by_fkey"
    FOREIGN KEY ("applied_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- One row per record of the file, numbered from 1 (the first record after the header).
CREATE TABLE "member_import_rows" (
    "import_id" BIGINT NOT NULL,
    "row_number" INTEGER NOT NULL,
    -- As written in the file (for the report), even when the row is invalid.
    "username" VARCHAR(200),
    -- The validated, normalised values; null when the row is invalid.
    "values" JSONB,
    "outcome" VARCHAR(10),
    CONSTRAINT "member_import_rows_pkey" PRIMARY KEY ("import_id", "row_number"),
    CONSTRAINT "member_import_rows_outcome_check" CHECK ("outcome" IN ('invalid', 'created', 'updated', 'unchanged', 'failed'))
);
ALTER TABLE "member_import_rows" ADD CONSTRAINT "member_import_rows_import_id_fkey"
    FOREIGN KEY ("import_id") REFERENCES "member_imports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "member_import_errors" (
    "id" BIGSERIAL NOT NULL,
    "import_id" BIGINT NOT NULL,
    "row_number" INTEGER NOT NULL,
    "field" VARCHAR(60),
    "message" VARCHAR(500) NOT NULL,
    CONSTRAINT "member_import_errors_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "member_import_errors_import_id_row_number_idx" ON "member_import_errors" ("import_id", "row_number");
ALTER TABLE "member_import_errors" ADD CONSTRAINT "member_import_errors_import_id_fkey"
    FOREIGN KEY ("import_id") REFERENCES "member_imports"("id") ON DELETE CASCADE ON UPDATE CASCADE;
