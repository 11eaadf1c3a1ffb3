-- Issue 14: every sign-in to an application through Tenure's issuer, completed
-- or refused (the member does not hold the application), for the application's
-- "recent sign-ins" and the member's history. Kept apart from login_attempts:
-- those are sign-ins to Tenure itself.
CREATE TABLE "application_sign_ins" (
    "id" BIGSERIAL PRIMARY KEY,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "application_id" BIGINT NOT NULL REFERENCES "applications"("id") ON DELETE CASCADE,
    "user_id" BIGINT NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
    "outcome" VARCHAR(10) NOT NULL CHECK ("outcome" IN ('granted', 'refused')),
    "reason" VARCHAR(40) NOT NULL,
    "ip_address" VARCHAR(45),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- The application page's recent sign-ins, newest first (keyset on created_at, id).
CREATE INDEX "application_sign_ins_recent_idx" ON "application_sign_ins" ("application_id", "created_at" DESC, "id" DESC);
CREATE INDEX "application_sign_ins_member_idx" ON "application_sign_ins" ("user_id", "created_at" DESC);
