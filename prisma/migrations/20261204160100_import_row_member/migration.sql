-- Staged import rows name the member they matched or created, so that
-- erasing a member erases their rows whatever identifiers the file used.
ALTER TABLE "member_import_rows" ADD COLUMN "member_id" BIGINT;
CREATE INDEX "member_import_rows_member_idx" ON "member_import_rows" ("member_id") WHERE "member_id" IS NOT NULL;
