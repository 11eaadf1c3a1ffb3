-- Issue 16: API tokens, so that systems other than a browser (SCIM clients of
-- HR systems and identity providers first) can call Tenure. A token is shown
-- once and stored as its SHA-256 (32 random bytes: a fast hash is enough);
-- it belongs to one organisation, carries scopes, expires (at most two years
-- after it was made) and can be revoked at once.
CREATE TABLE "api_tokens" (
    "id" BIGSERIAL PRIMARY KEY,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "name" VARCHAR(100) NOT NULL,
    "scopes" TEXT[] NOT NULL
        CHECK (cardinality("scopes") > 0 AND "scopes" <@ ARRAY['scim', 'directory:read', 'directory:write']::TEXT[]),
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    -- The token's last four characters, so an admin can tell tokens apart.
    "hint" VARCHAR(8) NOT NULL,
    "created_by" BIGINT REFERENCES "users"("id") ON DELETE SET NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by" BIGINT REFERENCES "users"("id") ON DELETE SET NULL,
    "last_used_at" TIMESTAMPTZ(3),
    "last_used_address" VARCHAR(45),
    CHECK ("expires_at" <= "created_at" + INTERVAL '731 days')
);
CREATE INDEX "api_tokens_tenant_idx" ON "api_tokens" ("tenant_id", "id");
-- A live token's name says what uses it: two live tokens of an organisation never share one.
CREATE UNIQUE INDEX "api_tokens_live_name_key" ON "api_tokens" ("tenant_id", lower("name")) WHERE "revoked_at" IS NULL;

-- What a token did is attributed to it, as a directory's sync is to the directory
-- (kept by id only, no foreign key: a deleted token still reads by its id).
ALTER TABLE "audit_events" ADD COLUMN "actor_token_id" BIGINT;
ALTER TABLE "lifecycle_receipts" ADD COLUMN "actor_token_id" BIGINT;
