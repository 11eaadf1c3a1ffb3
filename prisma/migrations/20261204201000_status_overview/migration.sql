-- Status overview (issue 12, item 9): the console's /console/status page.
-- Every card is one set-based query over one tenant; the indexes below keep
-- each to the rows it counts at 1,000,000 members.

-- The open time of sessions the hourly sweep deletes (session__delete_expired
-- moves them here with DELETE ... RETURNING), so "online duration, last 7
-- days" outlives the session rows. Kept 8 days; times only, no address or device.
CREATE TABLE "session_spans" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "user_id" BIGINT NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "session_spans_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "session_spans_order" CHECK ("ended_at" >= "started_at")
);
-- The duration card reads one tenant's spans that ended inside the window.
CREATE INDEX "session_spans_tenant_ended_idx" ON "session_spans" ("tenant_id", "ended_at");
-- A member's erasure cascades here.
CREATE INDEX "session_spans_user_idx" ON "session_spans" ("user_id");

-- Sessions had no tenant index: the duration card reads one tenant's sessions.
CREATE INDEX "sessions_tenant_idx" ON "sessions" ("tenant_id", "created_at");

-- "Members online now" per tenant: only the (few) online members are indexed.
CREATE INDEX "users_tenant_online_idx" ON "users" ("tenant_id") WHERE "online";

-- Weak passwords (must be changed at next sign-in) and expiring passwords per
-- tenant; the existing users_password_expiry_idx has no tenant and would read
-- every tenant's expiring members.
CREATE INDEX "users_tenant_password_change_idx" ON "users" ("tenant_id") WHERE "password_change_required" AND "state" = 'active';
CREATE INDEX "users_tenant_password_expiry_idx" ON "users" ("tenant_id", "password_expires_at") WHERE "password_expires_at" IS NOT NULL AND "state" = 'active';

-- Abnormal sign-ins and throttle lockouts over time: a small share of the
-- sign-in history, read by tenant and day.
CREATE INDEX "login_attempts_tenant_incidents_idx" ON "login_attempts" ("tenant_id", "created_at")
    WHERE "abnormal" OR ("result" = 'failure' AND "lockout_until" IS NOT NULL);

-- Account locks over time, from the audit trail.
CREATE INDEX "audit_events_tenant_locks_idx" ON "audit_events" ("tenant_id", "created_at") WHERE "action" = 'member.lock';

-- A card too costly to compute on every page view at a million members
-- (online time: a million members' sessions grouped, ~8 s measured) is
-- computed by the status__refresh_snapshots job every 5 minutes and read
-- from here; the page says when it was computed.
CREATE TABLE "status_snapshots" (
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "card" VARCHAR(40) NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,
    "data" JSONB NOT NULL,
    CONSTRAINT "status_snapshots_pkey" PRIMARY KEY ("tenant_id", "card")
);
