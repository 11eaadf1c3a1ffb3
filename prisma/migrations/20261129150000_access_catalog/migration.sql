-- Roles, groups, applications and policies (named permissions resource:action),
-- tenant-scoped, and the relations that grant them: policies to roles, and
-- roles, groups, applications and policies to members. Each relation is its
-- own table, so lifecycle actions remove a member's grants set-wise.

CREATE TABLE "roles" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" BIGINT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "description" VARCHAR(200),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "roles_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "roles_tenant_name_key" ON "roles" ("tenant_id", lower("name"));
ALTER TABLE "roles" ADD CONSTRAINT "roles_tenant_id_fkey"
    FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "groups" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" BIGINT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "description" VARCHAR(200),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "groups_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "groups_tenant_name_key" ON "groups" ("tenant_id", lower("name"));
ALTER TABLE "groups" ADD CONSTRAINT "groups_tenant_id_fkey"
    FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "applications" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" BIGINT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "description" VARCHAR(200),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "applications_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "applications_tenant_name_key" ON "applications" ("tenant_id", lower("name"));
ALTER TABLE "applications" ADD CONSTRAINT "applications_tenant_id_fkey"
    FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "policies" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" BIGINT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "permission" VARCHAR(100) NOT NULL,
    "description" VARCHAR(200),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "policies_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "policies_tenant_name_key" ON "policies" ("tenant_id", lower("name"));
ALTER TABLE "policies" ADD CONSTRAINT "policies_tenant_id_fkey"
    FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "policies" ADD CONSTRAINT "policies_permission_check" CHECK ("permission" ~ '^[a-z0-9_.-]+:[a-z0-9_.*-]+$');
CREATE UNIQUE INDEX "policies_tenant_id_permission_key" ON "policies" ("tenant_id", "permission");

CREATE TABLE "role_policies" (
    "role_id" BIGINT NOT NULL,
    "policy_id" BIGINT NOT NULL,
    CONSTRAINT "role_policies_pkey" PRIMARY KEY ("role_id", "policy_id")
);
CREATE INDEX "role_policies_policy_id_idx" ON "role_policies" ("policy_id");
ALTER TABLE "role_policies" ADD CONSTRAINT "role_policies_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_policies" ADD CONSTRAINT "role_policies_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "policies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "member_roles" (
    "user_id" BIGINT NOT NULL,
    "role_id" BIGINT NOT NULL,
    "granted_by" BIGINT,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "member_roles_pkey" PRIMARY KEY ("user_id", "role_id")
);
CREATE INDEX "member_roles_role_id_idx" ON "member_roles" ("role_id", "user_id");
ALTER TABLE "member_roles" ADD CONSTRAINT "member_roles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "member_roles" ADD CONSTRAINT "member_roles_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "member_roles" ADD CONSTRAINT "member_roles_granted_by_fkey" FOREIGN KEY ("granted_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "member_groups" (
    "user_id" BIGINT NOT NULL,
    "group_id" BIGINT NOT NULL,
    "granted_by" BIGINT,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "member_groups_pkey" PRIMARY KEY ("user_id", "group_id")
);
CREATE INDEX "member_groups_group_id_idx" ON "member_groups" ("group_id", "user_id");
ALTER TABLE "member_groups" ADD CONSTRAINT "member_groups_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "member_groups" ADD CONSTRAINT "member_groups_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "member_groups" ADD CONSTRAINT "member_groups_granted_by_fkey" FOREIGN KEY ("granted_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "member_applications" (
    "user_id" BIGINT NOT NULL,
    "application_id" BIGINT NOT NULL,
    "granted_by" BIGINT,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "member_applications_pkey" PRIMARY KEY ("user_id", "application_id")
);
CREATE INDEX "member_applications_application_id_idx" ON "member_applications" ("application_id", "user_id");
ALTER TABLE "member_applications" ADD CONSTRAINT "member_applications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "member_applications" ADD CONSTRAINT "member_applications_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "member_applications" ADD CONSTRAINT "member_applications_granted_by_fkey" FOREIGN KEY ("granted_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "member_policies" (
    "user_id" BIGINT NOT NULL,
    "policy_id" BIGINT NOT NULL,
    "granted_by" BIGINT,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "member_policies_pkey" PRIMARY KEY ("user_id", "policy_id")
);
CREATE INDEX "member_policies_policy_id_idx" ON "member_policies" ("policy_id", "user_id");
ALTER TABLE "member_policies" ADD CONSTRAINT "member_policies_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "member_policies" ADD CONSTRAINT "member_policies_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "policies"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "member_policies" ADD CONSTRAINT "member_policies_granted_by_fkey" FOREIGN KEY ("granted_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
