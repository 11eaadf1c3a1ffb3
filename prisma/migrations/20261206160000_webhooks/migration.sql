-- Signed webhooks (issue 15, item 6). An organisation's endpoints subscribe
-- to public event types (server/audit/webhook-event-types.ts); the
-- transaction that records an audit event of a subscribed type also writes
-- its message, one delivery per subscribed endpoint and the delivery jobs.
-- The signing secrets are sealed (AES-256-GCM, server/shared/secret-box.ts):
-- Standard Webhooks signs with HMAC, so the server needs them back.

CREATE TABLE "webhook_endpoints" (
    "id" BIGSERIAL PRIMARY KEY,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "url" VARCHAR(2000) NOT NULL,
    "description" VARCHAR(200) NOT NULL DEFAULT '',
    "event_types" TEXT[] NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    -- Why it is disabled: by an owner, or by Tenure after it kept failing.
    "disabled_reason" VARCHAR(20),
    "disabled_at" TIMESTAMPTZ(3),
    "secret_sealed" TEXT NOT NULL,
    -- After a rotation the old secret signs beside the new one until it expires.
    "previous_secret_sealed" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    -- The first failed attempt since the last success (null: the last attempt succeeded).
    "failing_since" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_attempt_ok" BOOLEAN,
    "created_by" BIGINT REFERENCES "users"("id") ON DELETE SET NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhook_endpoints_event_types_check" CHECK (cardinality("event_types") BETWEEN 1 AND 100),
    CONSTRAINT "webhook_endpoints_disabled_reason_check" CHECK ("disabled_reason" IN ('owner', 'failing')),
    CONSTRAINT "webhook_endpoints_previous_secret_check" CHECK (("previous_secret_sealed" IS NULL) = ("previous_secret_expires_at" IS NULL))
);
-- Every audited change of a subscribed kind asks whether the organisation has an enabled endpoint: one index probe.
CREATE INDEX "webhook_endpoints_tenant_idx" ON "webhook_endpoints" ("tenant_id", "id");
CREATE INDEX "webhook_endpoints_enabled_idx" ON "webhook_endpoints" ("tenant_id") WHERE "enabled";

-- One message per event: its webhook-id (stable across retries and replays) and the signed body.
CREATE TABLE "webhook_messages" (
    "id" BIGSERIAL PRIMARY KEY,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "webhook_id" VARCHAR(40) NOT NULL DEFAULT ('msg_' || replace(gen_random_uuid()::text, '-', '')),
    "event_type" VARCHAR(60) NOT NULL,
    "audit_event_id" BIGINT REFERENCES "audit_events"("id") ON DELETE SET NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "webhook_messages_webhook_id_key" ON "webhook_messages" ("webhook_id");
CREATE INDEX "webhook_messages_created_idx" ON "webhook_messages" ("created_at");
CREATE INDEX "webhook_messages_audit_event_idx" ON "webhook_messages" ("audit_event_id");

-- One message to one endpoint: its state; each try is a row of webhook_delivery_attempts.
CREATE TABLE "webhook_deliveries" (
    "id" BIGSERIAL PRIMARY KEY,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "endpoint_id" BIGINT NOT NULL REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE,
    "message_id" BIGINT NOT NULL REFERENCES "webhook_messages"("id") ON DELETE CASCADE,
    "status" VARCHAR(20) NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    -- A lease: the attempt under way (its HTTP call is made outside any transaction) until then.
    "attempting_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhook_deliveries_status_check" CHECK ("status" IN ('pending', 'delivered', 'failed'))
);
CREATE UNIQUE INDEX "webhook_deliveries_endpoint_message_key" ON "webhook_deliveries" ("endpoint_id", "message_id");
CREATE INDEX "webhook_deliveries_message_idx" ON "webhook_deliveries" ("message_id");

-- The delivery log: every attempt, what was sent (the message), the answer's status and a short excerpt, how long it took.
CREATE TABLE "webhook_delivery_attempts" (
    "id" BIGSERIAL PRIMARY KEY,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "delivery_id" BIGINT NOT NULL REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE,
    "endpoint_id" BIGINT NOT NULL REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE,
    "attempt" INTEGER NOT NULL,
    "trigger" VARCHAR(20) NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "response_status" INTEGER,
    "ok" BOOLEAN NOT NULL,
    "error" VARCHAR(300),
    "response_excerpt" VARCHAR(300),
    CONSTRAINT "webhook_delivery_attempts_trigger_check" CHECK ("trigger" IN ('scheduled', 'replay'))
);
CREATE INDEX "webhook_delivery_attempts_endpoint_idx" ON "webhook_delivery_attempts" ("endpoint_id", "id" DESC);
CREATE INDEX "webhook_delivery_attempts_failed_idx" ON "webhook_delivery_attempts" ("endpoint_id", "id" DESC) WHERE NOT "ok";
CREATE INDEX "webhook_delivery_attempts_delivery_idx" ON "webhook_delivery_attempts" ("delivery_id");

-- An endpoint that Tenure disables after it kept failing alerts the owners (a new class of alert rule).
ALTER TABLE "alert_rules" DROP CONSTRAINT "alert_rules_event_class_check";
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_event_class_check"
    CHECK ("event_class" IN ('sensitive_grant', 'lockout', 'abnormal_sign_in', 'bulk_lifecycle', 'export', 'webhook_disabled'));

CREATE OR REPLACE FUNCTION "tenure_default_alert_rules"(tenant BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO "alert_rules" ("tenant_id", "event_class", "by_console", "by_mail", "policy_patterns", "threshold") VALUES
        (tenant, 'sensitive_grant', true, true, '{"*:*"}', 10),
        (tenant, 'lockout', true, true, '{}', 10),
        (tenant, 'abnormal_sign_in', true, false, '{}', 10),
        (tenant, 'bulk_lifecycle', true, false, '{}', 10),
        (tenant, 'export', true, false, '{}', 10),
        (tenant, 'webhook_disabled', true, true, '{}', 10);
$$;

INSERT INTO "alert_rules" ("tenant_id", "event_class", "by_console", "by_mail", "policy_patterns", "threshold")
SELECT t."id", 'webhook_disabled', true, true, '{}', 10 FROM "tenants" t;
