-- Sign-in security (server/auth): each tenant's security policy, every sign-in
-- attempt (the login history, which also drives lockout, rate limits and
-- abnormal-login detection), the history of password hashes that may not be
-- reused, and the flag that confines a member to changing their password.

-- One row per tenant, written when an admin first saves the policy; until then
-- the defaults below apply (server/auth/security-policy-schemas.ts has the same).
CREATE TABLE "tenant_security_policies" (
    "tenant_id" BIGINT NOT NULL,
    "idle_timeout_minutes" INTEGER NOT NULL DEFAULT 30,
    "absolute_lifetime_hours" INTEGER NOT NULL DEFAULT 12,
    "lockout_threshold" INTEGER NOT NULL DEFAULT 10,
    "lockout_window_minutes" INTEGER NOT NULL DEFAULT 15,
    "lockout_duration_minutes" INTEGER NOT NULL DEFAULT 15,
    "lockout_growth_factor" INTEGER NOT NULL DEFAULT 2,
    "lockout_max_duration_minutes" INTEGER NOT NULL DEFAULT 1440,
    "mfa_requirement" VARCHAR(10) NOT NULL DEFAULT 'none',
    "password_min_length" INTEGER NOT NULL DEFAULT 15,
    "password_history_count" INTEGER NOT NULL DEFAULT 5,
    "password_expiry_days" INTEGER,
    "abnormal_login_action" VARCHAR(10) NOT NULL DEFAULT 'record',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" BIGINT,
    CONSTRAINT "tenant_security_policies_pkey" PRIMARY KEY ("tenant_id"),
    -- NIST SP 800-63B-4 AAL2: re-authenticate after at most 1 h idle and 24 h in all.
    CONSTRAINT "tenant_security_policies_idle_check" CHECK ("idle_timeout_minutes" BETWEEN 1 AND 60),
    CONSTRAINT "tenant_security_policies_lifetime_check" CHECK ("absolute_lifetime_hours" BETWEEN 1 AND 24),
    -- ...and never more than 100 consecutive failed attempts on one account.
    CONSTRAINT "tenant_security_policies_threshold_check" CHECK ("lockout_threshold" BETWEEN 1 AND 100),
    CONSTRAINT "tenant_security_policies_window_check" CHECK ("lockout_window_minutes" BETWEEN 1 AND 1440),
    CONSTRAINT "tenant_security_policies_duration_check" CHECK ("lockout_duration_minutes" BETWEEN 1 AND 1440),
    CONSTRAINT "tenant_security_policies_growth_check" CHECK ("lockout_growth_factor" BETWEEN 1 AND 10),
    CONSTRAINT "tenant_security_policies_max_duration_check"
        CHECK ("lockout_max_duration_minutes" BETWEEN "lockout_duration_minutes" AND 10080),
    CONSTRAINT "tenant_security_policies_mfa_check" CHECK ("mfa_requirement" IN ('none', 'admins', 'everyone')),
    -- 15 characters when the password is the only factor, 8 when everyone has a second one.
    CONSTRAINT "tenant_security_policies_min_length_check"
        CHECK ("password_min_length" BETWEEN 8 AND 64 AND ("password_min_length" >= 15 OR "mfa_requirement" = 'everyone')),
    CONSTRAINT "tenant_security_policies_history_check" CHECK ("password_history_count" BETWEEN 0 AND 24),
    CONSTRAINT "tenant_security_policies_expiry_check" CHECK ("password_expiry_days" BETWEEN 1 AND 3650),
    CONSTRAINT "tenant_security_policies_abnormal_check" CHECK ("abnormal_login_action" IN ('record', 'lock'))
);
ALTER TABLE "tenant_security_policies" ADD CONSTRAINT "tenant_security_policies_tenant_id_fkey"
    FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every sign-in attempt, whatever its outcome. tenant_id is empty for an unknown
-- organisation and user_id for an unknown account: those attempts still count
-- towards rate limits and (per login as typed) the same lockout a real account gets.
CREATE TABLE "login_attempts" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" BIGINT,
    "user_id" BIGINT,
    "login" CITEXT NOT NULL,
    "ip_address" VARCHAR(45),
    -- The client's /24 (IPv4) or /48 (IPv6) network, and its browser and system ("Chrome on Linux").
    "network" VARCHAR(50),
    "user_agent" VARCHAR(512),
    "device" VARCHAR(60),
    "result" VARCHAR(20) NOT NULL,
    "reason" VARCHAR(40) NOT NULL,
    "abnormal" BOOLEAN NOT NULL DEFAULT false,
    "abnormal_reason" VARCHAR(100),
    -- Set on the failure that started a lockout: until when the account (or login) is locked.
    "lockout_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "login_attempts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "login_attempts_login_length_check" CHECK (length("login") <= 100),
    CONSTRAINT "login_attempts_result_check" CHECK ("result" IN ('success', 'failure', 'locked', 'rate_limited', 'blocked'))
);
-- A member's history (keyset, newest first), their counts in a window, the devices they used.
CREATE INDEX "login_attempts_user_idx" ON "login_attempts" ("user_id", "created_at", "id");
-- The same counts for logins that match no account.
CREATE INDEX "login_attempts_unknown_login_idx" ON "login_attempts" ("tenant_id", "login", "created_at") WHERE "user_id" IS NULL;
-- Per-address rate limit: recent password guesses from one address.
CREATE INDEX "login_attempts_ip_failures_idx" ON "login_attempts" ("ip_address", "created_at") WHERE "result" IN ('failure', 'locked');
-- Retention: rows arrive in time order, so a tiny BRIN index finds the old ones.
CREATE INDEX "login_attempts_created_at_idx" ON "login_attempts" USING BRIN ("created_at");
ALTER TABLE "login_attempts" ADD CONSTRAINT "login_attempts_tenant_id_fkey"
    FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "login_attempts" ADD CONSTRAINT "login_attempts_user_id_fkey"
    FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Earlier password hashes of a member (the policy's last N), never reused.
CREATE TABLE "password_history" (
    "id" BIGSERIAL NOT NULL,
    "user_id" BIGINT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "password_history_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "password_history_user_idx" ON "password_history" ("user_id", "id");
ALTER TABLE "password_history" ADD CONSTRAINT "password_history_user_id_fkey"
    FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Set at sign-in when the password is weak under the current policy or expired
-- (or by an admin): the member's sessions may then only change the password.
ALTER TABLE "users" ADD COLUMN "password_change_required" BOOLEAN NOT NULL DEFAULT false;
