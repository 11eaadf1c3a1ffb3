-- Issue 16 item 5: migration imports. An export of another system (Entra ID,
-- Okta, Google Workspace, Keycloak) is read through a mapping of its columns
-- to member fields; the import keeps the mapping it was checked with, and an
-- organisation keeps named mappings to propose for its next file.
ALTER TABLE "member_imports" ADD COLUMN "mapping" JSONB;

CREATE TABLE "import_mappings" (
    "id" BIGSERIAL PRIMARY KEY,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "name" VARCHAR(80) NOT NULL,
    "mapping" JSONB NOT NULL,
    -- SHA-256 of the file's column names (lower case, sorted): the same header proposes this mapping first.
    "header_fingerprint" VARCHAR(64) NOT NULL,
    "columns" JSONB NOT NULL,
    "created_by" BIGINT REFERENCES "users"("id") ON DELETE SET NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "import_mappings_tenant_name_key" ON "import_mappings" ("tenant_id", "name");
CREATE INDEX "import_mappings_fingerprint_idx" ON "import_mappings" ("tenant_id", "header_fingerprint");
