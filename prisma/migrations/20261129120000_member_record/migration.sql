-- The full member record of the specification (user-management: User
-- Information), the audit trail, and department heads. The main department
-- becomes a column that must name one of the member's own departments.

ALTER TABLE "tenants" ADD COLUMN "name_order" VARCHAR(10) NOT NULL DEFAULT 'first_last',
    ADD CONSTRAINT "tenants_name_order_check" CHECK ("name_order" IN ('first_last', 'last_first'));

ALTER TABLE "users"
    ADD COLUMN "first_name" VARCHAR(100) NOT NULL DEFAULT '',
    ADD COLUMN "last_name" VARCHAR(100) NOT NULL DEFAULT '',
    ADD COLUMN "mobile" VARCHAR(16),
    ADD COLUMN "itc" VARCHAR(8),
    ADD COLUMN "country" VARCHAR(16),
    ADD COLUMN "landline" VARCHAR(40),
    ADD COLUMN "gender" VARCHAR(10),
    ADD COLUMN "title" VARCHAR(100),
    ADD COLUMN "address" VARCHAR(200),
    ADD COLUMN "source" VARCHAR(20) NOT NULL DEFAULT 'console',
    ADD COLUMN "online" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "online_at" TIMESTAMPTZ(3),
    ADD COLUMN "offline_at" TIMESTAMPTZ(3),
    ADD COLUMN "created_by" BIGINT,
    ADD COLUMN "last_modified_by" BIGINT,
    ADD COLUMN "registration_account_type" VARCHAR(20),
    ADD COLUMN "registration_account" VARCHAR(100),
    ADD COLUMN "registered_device_id" VARCHAR(100),
    ADD COLUMN "avatar_url" VARCHAR(500),
    ADD COLUMN "user_directory_id" BIGINT,
    ADD COLUMN "main_department_id" BIGINT,
    ADD COLUMN "password_expires_at" TIMESTAMPTZ(3),
    ADD COLUMN "password_changed_at" TIMESTAMPTZ(3),
    ADD COLUMN "disable_reason" VARCHAR(200),
    ADD COLUMN "deleted_at" TIMESTAMPTZ(3),
    ADD COLUMN "last_locked_at" TIMESTAMPTZ(3),
    ADD COLUMN "lock_start_at" TIMESTAMPTZ(3),
    ADD COLUMN "lock_end_at" TIMESTAMPTZ(3),
    ADD CONSTRAINT "users_gender_check" CHECK ("gender" IN ('female', 'male', 'other', 'undisclosed')),
    ADD CONSTRAINT "users_source_check" CHECK ("source" IN ('console', 'import', 'ldap', 'self_registration', 'scim')),
    ADD CONSTRAINT "users_mobile_e164_check" CHECK ("mobile" ~ '^\+[1-9][0-9]{6,14}$');

-- Members made before this migration keep their full name; split it once.
UPDATE "users" SET
    "first_name" = left(split_part("full_name", ' ', 1), 100),
    "last_name" = left(coalesce(nullif(substr("full_name", length(split_part("full_name", ' ', 1)) + 2), ''), split_part("full_name", ' ', 1)), 100);
ALTER TABLE "users" ALTER COLUMN "first_name" DROP DEFAULT, ALTER COLUMN "last_name" DROP DEFAULT;

-- The mobile number is required, but members made before it existed have
-- none: NOT VALID enforces it on every new or changed row only.
ALTER TABLE "users" ADD CONSTRAINT "users_mobile_required" CHECK ("mobile" IS NOT NULL) NOT VALID;
CREATE UNIQUE INDEX "users_tenant_id_mobile_key" ON "users"("tenant_id", "mobile");

ALTER TABLE "users" ADD CONSTRAINT "users_created_by_fkey"
    FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "users" ADD CONSTRAINT "users_last_modified_by_fkey"
    FOREIGN KEY ("last_modified_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "department_members" ADD COLUMN "is_head" BOOLEAN NOT NULL DEFAULT false;
UPDATE "users" u SET "main_department_id" = dm."department_id"
    FROM "department_members" dm WHERE dm."user_id" = u."id" AND dm."is_main";
ALTER TABLE "department_members" DROP COLUMN "is_main";
-- The main department is one of the member's departments: leaving it clears it.
ALTER TABLE "users" ADD CONSTRAINT "users_main_department_fkey"
    FOREIGN KEY ("main_department_id", "id") REFERENCES "department_members"("department_id", "user_id")
    ON DELETE SET NULL ("main_department_id") ON UPDATE CASCADE;

-- Every write to the directory, with who, what and before/after. Ids only:
-- no foreign keys, so events outlive the rows they describe.
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" BIGINT NOT NULL,
    "actor_id" BIGINT,
    "action" VARCHAR(60) NOT NULL,
    "target_type" VARCHAR(30) NOT NULL,
    "target_id" BIGINT NOT NULL,
    "changes" JSONB NOT NULL DEFAULT '{}',
    "ip_address" VARCHAR(45),
    "user_agent" VARCHAR(512),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_events_tenant_id_target_type_target_id_id_idx" ON "audit_events"("tenant_id", "target_type", "target_id", "id");
CREATE INDEX "audit_events_tenant_id_id_idx" ON "audit_events"("tenant_id", "id");
