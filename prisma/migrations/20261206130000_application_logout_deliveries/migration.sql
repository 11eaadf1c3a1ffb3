-- Issue 14, item 4: when a member leaves (or loses an application, or their
-- sessions are ended), their tokens at each application are revoked and every
-- application where they had a session is sent a back-channel logout token.
-- One row per (member, application, session sid): what was revoked and how
-- delivery went. The access receipt lists them, and its time to zero access
-- lasts until the last one is delivered. Rows go with the member (as their
-- receipts do: a hard delete erases both) and with the application.
CREATE TABLE "application_logout_deliveries" (
    "id" BIGSERIAL PRIMARY KEY,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "application_id" BIGINT NOT NULL REFERENCES "applications"("id") ON DELETE CASCADE,
    "user_id" BIGINT NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
    -- The lifecycle receipt it completes; NULL for causes that leave none (password reset, an admin ending sessions, a lost grant).
    "receipt_id" BIGINT REFERENCES "lifecycle_receipts"("id") ON DELETE SET NULL,
    "cause" VARCHAR(32) NOT NULL CHECK ("cause" IN (
        'lock', 'disable', 'resign', 'archive', 'delete', 'application_revoked', 'not_me', 'password_reset', 'sessions_revoked',
        -- The member ended their own session at an application (from /me).
        'member_signed_out')),
    -- The application's session at the provider (the logout token's sid); NULL when there was none to end.
    "sid" VARCHAR(256),
    -- Access and refresh tokens, codes deleted for this member at this application (counted on one row per member and application).
    "tokens_revoked" INTEGER NOT NULL DEFAULT 0 CHECK ("tokens_revoked" >= 0),
    -- not_required: nothing to send (no back-channel logout URI, or no session): the tokens were revoked all the same.
    "status" VARCHAR(16) NOT NULL CHECK ("status" IN ('pending', 'delivered', 'failed', 'not_required')),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_http_status" INTEGER,
    -- Short and free of secrets: a status line or a network error's code, never the response body.
    "last_error" VARCHAR(200),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_attempt_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    CHECK ("status" <> 'pending' OR "sid" IS NOT NULL),
    CHECK (("status" = 'delivered') = ("delivered_at" IS NOT NULL))
);
CREATE INDEX "application_logout_deliveries_receipt_idx" ON "application_logout_deliveries" ("receipt_id") WHERE "receipt_id" IS NOT NULL;
-- An application's page lists failures first, then the latest.
CREATE INDEX "application_logout_deliveries_application_idx" ON "application_logout_deliveries" ("application_id", (("status" = 'failed')) DESC, "id" DESC);
CREATE INDEX "application_logout_deliveries_user_idx" ON "application_logout_deliveries" ("user_id");
