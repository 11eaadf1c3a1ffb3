-- Issue 16, items 2-4: Tenure's inbound SCIM 2.0 server.

-- A member a SCIM client provisioned (or touched): the client's own userName
-- (often a UPN, which Tenure's username rules refuse, so it is kept verbatim
-- here and the username is derived from it), its externalId and the
-- enterprise extension's fields Tenure has no column for. The token that last
-- wrote it is the one the console names in "Managed by".
CREATE TABLE "scim_identities" (
    "user_id" BIGINT PRIMARY KEY REFERENCES "users"("id") ON DELETE CASCADE,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "api_token_id" BIGINT REFERENCES "api_tokens"("id") ON DELETE SET NULL,
    "user_name" CITEXT NOT NULL,
    "external_id" VARCHAR(200),
    "employee_number" VARCHAR(100),
    "manager_id" BIGINT REFERENCES "users"("id") ON DELETE SET NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- filter=userName eq "…" is every client's first request: an index lookup.
CREATE UNIQUE INDEX "scim_identities_user_name_key" ON "scim_identities" ("tenant_id", "user_name");
CREATE INDEX "scim_identities_external_id_idx" ON "scim_identities" ("tenant_id", "external_id");

-- A group a SCIM client made or named: its externalId.
CREATE TABLE "scim_group_identities" (
    "group_id" BIGINT PRIMARY KEY REFERENCES "groups"("id") ON DELETE CASCADE,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "external_id" VARCHAR(200),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- What DELETE /Users/{id} does, and whether an unknown enterprise department is created.
CREATE TABLE "scim_settings" (
    "tenant_id" BIGINT PRIMARY KEY REFERENCES "tenants"("id") ON DELETE CASCADE,
    "delete_action" VARCHAR(10) NOT NULL DEFAULT 'disable' CHECK ("delete_action" IN ('disable', 'resign', 'delete')),
    "create_departments" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- The recent SCIM requests per token (no bodies, no secrets), for the console;
-- the last 1,000 per token are kept (trimmed as requests arrive).
CREATE TABLE "scim_requests" (
    "id" BIGSERIAL PRIMARY KEY,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "api_token_id" BIGINT NOT NULL REFERENCES "api_tokens"("id") ON DELETE CASCADE,
    "method" VARCHAR(10) NOT NULL,
    "resource_type" VARCHAR(40) NOT NULL,
    "resource_id" VARCHAR(40),
    "status" INTEGER NOT NULL,
    "scim_type" VARCHAR(40),
    "detail" VARCHAR(300),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "scim_requests_token_idx" ON "scim_requests" ("api_token_id", "id");
CREATE INDEX "scim_requests_tenant_idx" ON "scim_requests" ("tenant_id", "id");
