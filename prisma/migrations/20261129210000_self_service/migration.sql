-- Self-service (server/auth/mfa, server/auth/step-up.ts, server/auth/forgot-password*,
-- server/self-service): TOTP second factor and its recovery codes, the sign-in
-- challenge between password and code, password reset links, when each session
-- last proved a factor (step-up), and which profile fields members edit themselves.
-- Every row about a member cascades from users: hard deletion removes them all.

-- A member's TOTP secret (RFC 6238), encrypted with AES-256-GCM under a key
-- derived from NEXTAUTH_SECRET (server/auth/mfa/secret-box.ts). enabled_at is
-- empty while the enrolment waits for its first code. last_used_step is the
-- 30-second step of the last accepted code: no code of that step or earlier
-- is accepted again (replay).
CREATE TABLE "member_mfa" (
    "user_id" BIGINT NOT NULL,
    "secret_encrypted" TEXT NOT NULL,
    "enabled_at" TIMESTAMPTZ(3),
    "last_used_step" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "member_mfa_pkey" PRIMARY KEY ("user_id")
);
ALTER TABLE "member_mfa" ADD CONSTRAINT "member_mfa_user_id_fkey"
    FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One-time recovery codes: only their SHA-256 is kept; used_at marks a spent one.
CREATE TABLE "mfa_recovery_codes" (
    "id" BIGSERIAL NOT NULL,
    "user_id" BIGINT NOT NULL,
    "code_hash" VARCHAR(64) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "mfa_recovery_codes_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "mfa_recovery_codes_user_id_code_hash_key" ON "mfa_recovery_codes" ("user_id", "code_hash");
ALTER TABLE "mfa_recovery_codes" ADD CONSTRAINT "mfa_recovery_codes_user_id_fkey"
    FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The step between a right password and a session for a member with MFA: the
-- browser holds the token (only its SHA-256 is here) and has 5 minutes and a
-- few tries to give a code. What the password step learnt (abnormal sign-in,
-- a password that must be changed) waits here for the session.
CREATE TABLE "sign_in_challenges" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL,
    "login" VARCHAR(100) NOT NULL,
    "abnormal_reason" VARCHAR(100),
    "password_change_required" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "sign_in_challenges_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "sign_in_challenges_token_hash_key" ON "sign_in_challenges" ("token_hash");
CREATE INDEX "sign_in_challenges_user_idx" ON "sign_in_challenges" ("user_id");
ALTER TABLE "sign_in_challenges" ADD CONSTRAINT "sign_in_challenges_tenant_id_fkey"
    FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sign_in_challenges" ADD CONSTRAINT "sign_in_challenges_user_id_fkey"
    FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Forgot password: a mailed link, single use, 30 minutes; only the token's SHA-256 is kept.
CREATE TABLE "password_reset_tokens" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "password_reset_tokens_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "password_reset_tokens_token_hash_key" ON "password_reset_tokens" ("token_hash");
CREATE INDEX "password_reset_tokens_user_idx" ON "password_reset_tokens" ("user_id");
ALTER TABLE "password_reset_tokens" ADD CONSTRAINT "password_reset_tokens_tenant_id_fkey"
    FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "password_reset_tokens" ADD CONSTRAINT "password_reset_tokens_user_id_fkey"
    FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- When the session last proved a factor (password or code); signing in counts,
-- hence the default for new rows. Sessions open before this migration have none
-- and must step up before their first sensitive operation.
ALTER TABLE "sessions" ADD COLUMN "stepped_up_at" TIMESTAMPTZ(3);
ALTER TABLE "sessions" ALTER COLUMN "stepped_up_at" SET DEFAULT CURRENT_TIMESTAMP;

-- Which of their own profile fields members may edit in self-service; without
-- a row the default below applies (server/self-service/self-service-settings.ts).
CREATE TABLE "tenant_self_service_settings" (
    "tenant_id" BIGINT NOT NULL,
    "editable_fields" TEXT[] NOT NULL DEFAULT ARRAY['mobile', 'landline', 'address']::TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" BIGINT,
    CONSTRAINT "tenant_self_service_settings_pkey" PRIMARY KEY ("tenant_id"),
    CONSTRAINT "tenant_self_service_settings_fields_check"
        CHECK ("editable_fields" <@ ARRAY['mobile', 'landline', 'address', 'avatarUrl', 'gender', 'title']::TEXT[])
);
ALTER TABLE "tenant_self_service_settings" ADD CONSTRAINT "tenant_self_service_settings_tenant_id_fkey"
    FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
