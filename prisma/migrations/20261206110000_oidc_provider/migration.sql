-- Issue 14: Tenure is the OpenID Connect provider of the organisation's
-- applications. An application with an oidc_client_id is a sign-in client of
-- its organisation's issuer (<NEXTAUTH_URL>/oidc/<tenant slug>).

ALTER TABLE "applications"
    ADD COLUMN "oidc_client_id" VARCHAR(64),
    -- confidential: authenticates with a secret at the token endpoint; public: PKCE only (SPAs, native apps).
    ADD COLUMN "oidc_client_type" VARCHAR(16) NOT NULL DEFAULT 'confidential'
        CHECK ("oidc_client_type" IN ('confidential', 'public')),
    -- Exact match, as OpenID Connect requires: no wildcards, no prefix matching.
    ADD COLUMN "redirect_uris" TEXT[] NOT NULL DEFAULT '{}',
    ADD COLUMN "post_logout_redirect_uris" TEXT[] NOT NULL DEFAULT '{}',
    ADD COLUMN "backchannel_logout_uri" VARCHAR(2000),
    -- First-party applications skip the consent screen; third-party ones ask each member once.
    ADD COLUMN "first_party" BOOLEAN NOT NULL DEFAULT TRUE,
    -- Token lifetimes, within caps: an access token lives at most an hour, a refresh token at most 90 days.
    ADD COLUMN "access_token_ttl_seconds" INTEGER NOT NULL DEFAULT 600
        CHECK ("access_token_ttl_seconds" BETWEEN 60 AND 3600),
    ADD COLUMN "id_token_ttl_seconds" INTEGER NOT NULL DEFAULT 600
        CHECK ("id_token_ttl_seconds" BETWEEN 60 AND 3600),
    ADD COLUMN "refresh_token_ttl_seconds" INTEGER NOT NULL DEFAULT 1209600
        CHECK ("refresh_token_ttl_seconds" BETWEEN 3600 AND 7776000),
    -- Which claims the application receives: standard scopes (profile, email, phone) and Tenure's
    -- effective access (roles, groups, permissions).
    ADD COLUMN "claim_sets" TEXT[] NOT NULL DEFAULT '{profile,email}'
        CHECK ("claim_sets" <@ ARRAY['profile', 'email', 'phone', 'roles', 'groups', 'permissions']::TEXT[]),
    ADD COLUMN "oidc_updated_at" TIMESTAMPTZ(3);
CREATE UNIQUE INDEX "applications_oidc_client_id_key" ON "applications" ("oidc_client_id");

-- Client secrets are shown once and stored hashed (SHA-256 of 32 random bytes: a
-- fast hash is enough for a secret nobody chose). Rotation keeps the previous
-- secret valid until its expires_at, so an application can be redeployed.
CREATE TABLE "application_client_secrets" (
    "id" BIGSERIAL PRIMARY KEY,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "application_id" BIGINT NOT NULL REFERENCES "applications"("id") ON DELETE CASCADE,
    "secret_hash" VARCHAR(64) NOT NULL,
    -- The secret's last four characters, so an admin can tell which one an application holds.
    "hint" VARCHAR(8) NOT NULL,
    "created_by" BIGINT REFERENCES "users"("id") ON DELETE SET NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- NULL while it is the current secret; set when a newer one replaces it.
    "expires_at" TIMESTAMPTZ(3)
);
CREATE INDEX "application_client_secrets_application_idx" ON "application_client_secrets" ("application_id", "created_at");
CREATE UNIQUE INDEX "application_client_secrets_hash_key" ON "application_client_secrets" ("secret_hash");

-- Signing keys of the installation (every organisation's issuer signs with
-- them). The private key is sealed (server/shared/secret-box.ts). The JWKS
-- publishes 'next' and 'current' (and 'retired' until its tokens have
-- expired), so relying parties know a key before it signs anything.
CREATE TABLE "oidc_signing_keys" (
    "id" BIGSERIAL PRIMARY KEY,
    "kid" VARCHAR(64) NOT NULL UNIQUE,
    "alg" VARCHAR(16) NOT NULL DEFAULT 'RS256',
    "public_jwk" JSONB NOT NULL,
    "private_jwk_sealed" TEXT NOT NULL,
    "status" VARCHAR(10) NOT NULL CHECK ("status" IN ('next', 'current', 'retired')),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activated_at" TIMESTAMPTZ(3),
    "retired_at" TIMESTAMPTZ(3)
);
CREATE UNIQUE INDEX "oidc_signing_keys_one_current" ON "oidc_signing_keys" ("status") WHERE "status" = 'current';
CREATE UNIQUE INDEX "oidc_signing_keys_one_next" ON "oidc_signing_keys" ("status") WHERE "status" = 'next';

-- oidc-provider's storage (its adapter interface), per organisation: sessions,
-- interactions, grants, codes, access and refresh tokens. The columns beside
-- the payload are read out of it so that the lifecycle can find and revoke a
-- member's tokens for an application in one indexed statement. Deleting the
-- member deletes them all.
CREATE TABLE "oidc_payloads" (
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "model" VARCHAR(40) NOT NULL,
    "id" VARCHAR(256) NOT NULL,
    "payload" JSONB NOT NULL,
    "grant_id" VARCHAR(256),
    "uid" VARCHAR(256),
    "user_code" VARCHAR(256),
    "user_id" BIGINT REFERENCES "users"("id") ON DELETE CASCADE,
    "client_id" VARCHAR(64),
    "expires_at" TIMESTAMPTZ(3),
    "consumed_at" TIMESTAMPTZ(3),
    PRIMARY KEY ("tenant_id", "model", "id")
);
CREATE INDEX "oidc_payloads_grant_idx" ON "oidc_payloads" ("tenant_id", "grant_id") WHERE "grant_id" IS NOT NULL;
CREATE INDEX "oidc_payloads_uid_idx" ON "oidc_payloads" ("tenant_id", "uid") WHERE "uid" IS NOT NULL;
CREATE INDEX "oidc_payloads_user_code_idx" ON "oidc_payloads" ("tenant_id", "user_code") WHERE "user_code" IS NOT NULL;
CREATE INDEX "oidc_payloads_member_idx" ON "oidc_payloads" ("user_id", "client_id", "model") WHERE "user_id" IS NOT NULL;
CREATE INDEX "oidc_payloads_expiry_idx" ON "oidc_payloads" ("expires_at") WHERE "expires_at" IS NOT NULL;
