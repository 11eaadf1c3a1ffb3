-- The member lifecycle (server/lifecycle): one explicit state per member, the
-- booleans of the specification (enabled, locked) derived from it, archived
-- members immutable in the database itself, a recycle bin that remembers every
-- relationship of a soft-deleted member, receipts of what each action revoked,
-- role templates for onboarding, tenant lifecycle settings and the mail outbox.

ALTER TABLE "users"
    ADD COLUMN "state" VARCHAR(20) NOT NULL DEFAULT 'active',
    ADD COLUMN "state_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ADD COLUMN "start_date" TIMESTAMPTZ(3),
    ADD COLUMN "lock_reason" VARCHAR(200),
    ADD COLUMN "resigned_at" TIMESTAMPTZ(3),
    ADD COLUMN "resignation_reason" VARCHAR(200),
    ADD COLUMN "scheduled_leave_at" TIMESTAMPTZ(3),
    ADD COLUMN "scheduled_leave_reason" VARCHAR(200),
    ADD COLUMN "archived_at" TIMESTAMPTZ(3),
    ADD CONSTRAINT "users_state_check"
        CHECK ("state" IN ('pending', 'active', 'locked', 'disabled', 'resigned', 'archived', 'deleted'));

UPDATE "users" SET "state" = CASE
    WHEN "deleted_at" IS NOT NULL THEN 'deleted'
    WHEN NOT "enabled" THEN 'disabled'
    WHEN "locked" THEN 'locked'
    ELSE 'active' END;

ALTER TABLE "users" ADD CONSTRAINT "users_deleted_state_check" CHECK (("state" = 'deleted') = ("deleted_at" IS NOT NULL));

CREATE INDEX "users_tenant_state_idx" ON "users" ("tenant_id", "state", "id");
-- The catch-up sweeps look for due time rules; each index holds only the rows that have one.
CREATE INDEX "users_lock_end_due_idx" ON "users" ("lock_end_at") WHERE "state" = 'locked' AND "lock_end_at" IS NOT NULL;
CREATE INDEX "users_start_date_due_idx" ON "users" ("start_date") WHERE "state" = 'pending';
CREATE INDEX "users_scheduled_leave_due_idx" ON "users" ("scheduled_leave_at") WHERE "scheduled_leave_at" IS NOT NULL;
CREATE INDEX "users_password_expiry_idx" ON "users" ("password_expires_at") WHERE "password_expires_at" IS NOT NULL;

-- enabled and locked are the specification's view of the state: never set on their own.
CREATE FUNCTION "tenure_derive_member_flags"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."enabled" := NEW."state" IN ('pending', 'active', 'locked');
    NEW."locked" := NEW."state" = 'locked';
    RETURN NEW;
END $$;
CREATE TRIGGER "users_derive_flags" BEFORE INSERT OR UPDATE ON "users"
    FOR EACH ROW EXECUTE FUNCTION "tenure_derive_member_flags"();

-- An archived member is read-only: only unarchive or delete (state changes) may touch the row.
-- The one exception: a deleted admin's id vanishing from created_by / last_modified_by (ON DELETE SET NULL).
CREATE FUNCTION "tenure_refuse_archived_member_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (to_jsonb(OLD) - 'created_by' - 'last_modified_by') IS DISTINCT FROM (to_jsonb(NEW) - 'created_by' - 'last_modified_by') THEN
        RAISE EXCEPTION 'tenure:member_archived: member % is archived and cannot be modified', OLD."id";
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER "users_archived_read_only" BEFORE UPDATE ON "users"
    FOR EACH ROW WHEN (OLD."state" = 'archived' AND NEW."state" = 'archived')
    EXECUTE FUNCTION "tenure_refuse_archived_member_change"();

-- Nor may anything be added to an archived (or deleted) member, nor an app or
-- policy authorisation to a disabled or resigned one (those actions revoked them).
CREATE FUNCTION "tenure_refuse_relation_for_inactive_member"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    member_state TEXT;
BEGIN
    SELECT "state" INTO member_state FROM "users" WHERE "id" = NEW."user_id";
    IF member_state = 'archived' THEN
        RAISE EXCEPTION 'tenure:member_archived: member % is archived and cannot be modified', NEW."user_id";
    ELSIF member_state = 'deleted' THEN
        RAISE EXCEPTION 'tenure:member_deleted: member % is deleted', NEW."user_id";
    ELSIF member_state IN ('disabled', 'resigned') AND TG_TABLE_NAME IN ('member_applications', 'member_policies') THEN
        RAISE EXCEPTION 'tenure:member_not_authorisable: member % is %', NEW."user_id", member_state;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER "department_members_member_writable" BEFORE INSERT OR UPDATE ON "department_members"
    FOR EACH ROW EXECUTE FUNCTION "tenure_refuse_relation_for_inactive_member"();
CREATE TRIGGER "member_roles_member_writable" BEFORE INSERT OR UPDATE ON "member_roles"
    FOR EACH ROW EXECUTE FUNCTION "tenure_refuse_relation_for_inactive_member"();
CREATE TRIGGER "member_groups_member_writable" BEFORE INSERT OR UPDATE ON "member_groups"
    FOR EACH ROW EXECUTE FUNCTION "tenure_refuse_relation_for_inactive_member"();
CREATE TRIGGER "member_applications_member_writable" BEFORE INSERT OR UPDATE ON "member_applications"
    FOR EACH ROW EXECUTE FUNCTION "tenure_refuse_relation_for_inactive_member"();
CREATE TRIGGER "member_policies_member_writable" BEFORE INSERT OR UPDATE ON "member_policies"
    FOR EACH ROW EXECUTE FUNCTION "tenure_refuse_relation_for_inactive_member"();

-- The recycle bin: a soft-deleted member's relationships, restored with them.
CREATE TABLE "member_recycle_bin" (
    "user_id" BIGINT NOT NULL,
    "tenant_id" BIGINT NOT NULL,
    "state_before" VARCHAR(20) NOT NULL,
    "relations" JSONB NOT NULL,
    "deleted_by" BIGINT,
    "deleted_at" TIMESTAMPTZ(3) NOT NULL,
    "hard_delete_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "member_recycle_bin_pkey" PRIMARY KEY ("user_id")
);
CREATE INDEX "member_recycle_bin_tenant_idx" ON "member_recycle_bin" ("tenant_id", "deleted_at" DESC, "user_id");
CREATE INDEX "member_recycle_bin_due_idx" ON "member_recycle_bin" ("hard_delete_at");
ALTER TABLE "member_recycle_bin" ADD CONSTRAINT "member_recycle_bin_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "member_recycle_bin" ADD CONSTRAINT "member_recycle_bin_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- What one lifecycle action revoked, and when the member's last session was confirmed unusable.
CREATE TABLE "lifecycle_receipts" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "action" VARCHAR(20) NOT NULL,
    "actor_id" BIGINT,
    "committed_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked" JSONB NOT NULL,
    "sessions_ended" INTEGER NOT NULL,
    "zero_access_at" TIMESTAMPTZ(6),
    "zero_access_ms" DOUBLE PRECISION,
    CONSTRAINT "lifecycle_receipts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "lifecycle_receipts_user_idx" ON "lifecycle_receipts" ("user_id", "id");
ALTER TABLE "lifecycle_receipts" ADD CONSTRAINT "lifecycle_receipts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "lifecycle_receipts" ADD CONSTRAINT "lifecycle_receipts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "tenant_lifecycle_settings" (
    "tenant_id" BIGINT NOT NULL,
    "deletion_grace_days" INTEGER NOT NULL DEFAULT 30,
    "password_reminder_days" INTEGER[] NOT NULL DEFAULT '{14,7,1}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tenant_lifecycle_settings_pkey" PRIMARY KEY ("tenant_id"),
    CONSTRAINT "tenant_lifecycle_settings_grace_check" CHECK ("deletion_grace_days" BETWEEN 1 AND 365)
);
ALTER TABLE "tenant_lifecycle_settings" ADD CONSTRAINT "tenant_lifecycle_settings_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Which password-expiry reminders went out, so the jobs and the sweep never send one twice.
CREATE TABLE "password_reminders_sent" (
    "user_id" BIGINT NOT NULL,
    "password_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "days_before" INTEGER NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "password_reminders_sent_pkey" PRIMARY KEY ("user_id", "password_expires_at", "days_before")
);
ALTER TABLE "password_reminders_sent" ADD CONSTRAINT "password_reminders_sent_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Role templates: a predefined set of departments, applications, roles and groups for onboarding.
CREATE TABLE "role_templates" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" BIGINT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "description" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "role_templates_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "role_templates_tenant_name_key" ON "role_templates" ("tenant_id", lower("name"));
ALTER TABLE "role_templates" ADD CONSTRAINT "role_templates_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "role_template_departments" (
    "template_id" BIGINT NOT NULL,
    "department_id" BIGINT NOT NULL,
    CONSTRAINT "role_template_departments_pkey" PRIMARY KEY ("template_id", "department_id")
);
CREATE INDEX "role_template_departments_department_idx" ON "role_template_departments" ("department_id");
ALTER TABLE "role_template_departments" ADD CONSTRAINT "role_template_departments_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "role_templates"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_template_departments" ADD CONSTRAINT "role_template_departments_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "role_template_applications" (
    "template_id" BIGINT NOT NULL,
    "application_id" BIGINT NOT NULL,
    CONSTRAINT "role_template_applications_pkey" PRIMARY KEY ("template_id", "application_id")
);
CREATE INDEX "role_template_applications_application_idx" ON "role_template_applications" ("application_id");
ALTER TABLE "role_template_applications" ADD CONSTRAINT "role_template_applications_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "role_templates"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_template_applications" ADD CONSTRAINT "role_template_applications_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "role_template_roles" (
    "template_id" BIGINT NOT NULL,
    "role_id" BIGINT NOT NULL,
    CONSTRAINT "role_template_roles_pkey" PRIMARY KEY ("template_id", "role_id")
);
CREATE INDEX "role_template_roles_role_idx" ON "role_template_roles" ("role_id");
ALTER TABLE "role_template_roles" ADD CONSTRAINT "role_template_roles_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "role_templates"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_template_roles" ADD CONSTRAINT "role_template_roles_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "role_template_groups" (
    "template_id" BIGINT NOT NULL,
    "group_id" BIGINT NOT NULL,
    CONSTRAINT "role_template_groups_pkey" PRIMARY KEY ("template_id", "group_id")
);
CREATE INDEX "role_template_groups_group_idx" ON "role_template_groups" ("group_id");
ALTER TABLE "role_template_groups" ADD CONSTRAINT "role_template_groups_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "role_templates"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_template_groups" ADD CONSTRAINT "role_template_groups_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every mail the app sends. Without SMTP_URL it stays here ("held") and is read in Settings → Outbox.
CREATE TABLE "outbox_mails" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" BIGINT NOT NULL,
    "user_id" BIGINT,
    "kind" VARCHAR(40) NOT NULL,
    "to_address" VARCHAR(200) NOT NULL,
    "subject" VARCHAR(200) NOT NULL,
    "body_text" TEXT NOT NULL,
    "status" VARCHAR(10) NOT NULL DEFAULT 'held',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    CONSTRAINT "outbox_mails_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "outbox_mails_status_check" CHECK ("status" IN ('held', 'queued', 'sent', 'failed'))
);
CREATE INDEX "outbox_mails_tenant_idx" ON "outbox_mails" ("tenant_id", "id");
CREATE INDEX "outbox_mails_user_idx" ON "outbox_mails" ("user_id");
ALTER TABLE "outbox_mails" ADD CONSTRAINT "outbox_mails_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "outbox_mails" ADD CONSTRAINT "outbox_mails_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Invitations to set a first password (single use; only the token's hash is stored).
CREATE TABLE "invitations" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations" ("token_hash");
CREATE INDEX "invitations_user_idx" ON "invitations" ("user_id");
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
