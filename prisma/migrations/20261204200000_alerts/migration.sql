-- Alerts (issue 12, item 8): per organisation, rules choose which classes of
-- audit event alert whom (owners, admins, named admins) and how (the console's
-- notification centre, mail through the outbox). The alerts__deliver job,
-- enqueued in the transaction that writes the audit event, evaluates them.

CREATE TABLE "alert_rules" (
    "id" BIGSERIAL PRIMARY KEY,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "event_class" VARCHAR(30) NOT NULL,
    "notify_owners" BOOLEAN NOT NULL DEFAULT true,
    "notify_admins" BOOLEAN NOT NULL DEFAULT false,
    "by_console" BOOLEAN NOT NULL DEFAULT true,
    "by_mail" BOOLEAN NOT NULL DEFAULT false,
    -- sensitive_grant: "resource:action" patterns, `*` for a whole side.
    "policy_patterns" TEXT[] NOT NULL DEFAULT '{}',
    -- bulk_lifecycle: the smallest number of members one action must reach.
    "threshold" INTEGER NOT NULL DEFAULT 10,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_rules_event_class_check" CHECK ("event_class" IN ('sensitive_grant', 'lockout', 'abnormal_sign_in', 'bulk_lifecycle', 'export')),
    CONSTRAINT "alert_rules_threshold_check" CHECK ("threshold" BETWEEN 2 AND 1000000),
    CONSTRAINT "alert_rules_patterns_check" CHECK (cardinality("policy_patterns") <= 50),
    CONSTRAINT "alert_rules_some_channel" CHECK ("by_console" OR "by_mail")
);
CREATE INDEX "alert_rules_tenant_idx" ON "alert_rules" ("tenant_id", "event_class");

-- Named recipients; a deleted member leaves every rule.
CREATE TABLE "alert_rule_recipients" (
    "rule_id" BIGINT NOT NULL REFERENCES "alert_rules"("id") ON DELETE CASCADE,
    "member_id" BIGINT NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
    PRIMARY KEY ("rule_id", "member_id")
);
CREATE INDEX "alert_rule_recipients_member_idx" ON "alert_rule_recipients" ("member_id");

-- One row per alert the job has handled (keyed by the alert's audit event):
-- the job's writes and this row commit together, so a retried job finds it
-- and sends nothing twice.
CREATE TABLE "alert_deliveries" (
    "audit_event_id" BIGINT PRIMARY KEY REFERENCES "audit_events"("id") ON DELETE CASCADE,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    -- The class shown (null: no rule fired) and whether mail went out: the
    -- hourly cap on alert mail per class counts these.
    "event_class" VARCHAR(30),
    "recipients" INTEGER NOT NULL,
    "mailed" BOOLEAN NOT NULL DEFAULT false,
    "delivered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "alert_deliveries_mailed_idx" ON "alert_deliveries" ("tenant_id", "event_class", "delivered_at") WHERE "mailed";

CREATE TABLE "notifications" (
    "id" BIGSERIAL PRIMARY KEY,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "recipient_id" BIGINT NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
    "audit_event_id" BIGINT NOT NULL REFERENCES "audit_events"("id") ON DELETE CASCADE,
    "event_class" VARCHAR(30) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "body" VARCHAR(2000) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMPTZ(3)
);
CREATE UNIQUE INDEX "notifications_recipient_event_key" ON "notifications" ("recipient_id", "audit_event_id");
CREATE INDEX "notifications_recipient_page_idx" ON "notifications" ("tenant_id", "recipient_id", "id" DESC);
CREATE INDEX "notifications_unread_idx" ON "notifications" ("tenant_id", "recipient_id") WHERE "read_at" IS NULL;
CREATE INDEX "notifications_audit_event_idx" ON "notifications" ("audit_event_id");

-- Every organisation starts with the same defaults, however it is created:
-- sensitive grants and lockouts to the owners by console and mail; abnormal
-- sign-ins, bulk lifecycle actions (10 members or more) and exports to the
-- owners in the console.
CREATE FUNCTION "tenure_default_alert_rules"(tenant BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO "alert_rules" ("tenant_id", "event_class", "by_console", "by_mail", "policy_patterns", "threshold") VALUES
        (tenant, 'sensitive_grant', true, true, '{"*:*"}', 10),
        (tenant, 'lockout', true, true, '{}', 10),
        (tenant, 'abnormal_sign_in', true, false, '{}', 10),
        (tenant, 'bulk_lifecycle', true, false, '{}', 10),
        (tenant, 'export', true, false, '{}', 10);
$$;
CREATE FUNCTION "tenure_create_default_alert_rules"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM "tenure_default_alert_rules"(NEW."id");
    RETURN NEW;
END $$;
CREATE TRIGGER "tenants_create_default_alert_rules" AFTER INSERT ON "tenants"
    FOR EACH ROW EXECUTE FUNCTION "tenure_create_default_alert_rules"();

SELECT "tenure_default_alert_rules"(t."id") FROM "tenants" t;
