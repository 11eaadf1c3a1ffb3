-- LDAP / Active Directory synchronisation (issue 13). A directory is one LDAP
-- connection of an organisation; its members, departments and groups record
-- which directory manages them and the entry's stable id (entryUUID or
-- objectGUID), so a rename or a move in LDAP updates the same row. A sync run
-- stages what it read in directory_sync_entries (its plan and its report);
-- applying walks the staged rows, so a run that dies resumes where it stopped.

CREATE TABLE "directories" (
    "id" BIGSERIAL PRIMARY KEY,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "name" VARCHAR(100) NOT NULL,
    -- Which attribute set the mapping started from: 'openldap' (inetOrgPerson) or 'active_directory'.
    "preset" VARCHAR(20) NOT NULL,
    -- ldap://host:port or ldaps://host:port; StartTLS upgrades an ldap:// connection.
    "url" VARCHAR(500) NOT NULL,
    "start_tls" BOOLEAN NOT NULL DEFAULT false,
    -- PEM; when set, the server's certificate must chain to it (ldaps:// or StartTLS).
    "ca_certificate" TEXT,
    "bind_dn" VARCHAR(500) NOT NULL DEFAULT '',
    -- server/shared/secret-box.ts, purpose 'directory-bind', bound to the directory id. Never returned to a browser.
    "bind_password_sealed" TEXT,
    "base_dn" VARCHAR(500) NOT NULL,
    "user_filter" VARCHAR(1000) NOT NULL,
    "page_size" INTEGER NOT NULL DEFAULT 500,
    -- Minutes between scheduled incremental syncs; NULL: on demand only.
    "sync_interval_minutes" INTEGER,
    -- Tenure field -> LDAP attribute (server/directories/attribute-mapping.ts). Mapped fields are managed: read-only elsewhere.
    "attribute_mapping" JSONB NOT NULL,
    -- Departments: 'none', 'ou_path' (the entry's OUs below the base DN) or 'attribute' (department_attribute's value).
    "department_source" VARCHAR(20) NOT NULL DEFAULT 'none',
    "department_attribute" VARCHAR(100),
    -- Where mirrored departments hang (NULL: at the top of the tree).
    "department_parent_id" BIGINT REFERENCES "departments"("id") ON DELETE SET NULL,
    -- LDAP groups mirrored as Tenure groups (no base: groups not synced).
    "group_base_dn" VARCHAR(500),
    "group_filter" VARCHAR(1000),
    -- First sync: link existing members that match by 'username' or 'email' ('none': never link).
    "link_existing_by" VARCHAR(20) NOT NULL DEFAULT 'username',
    -- What happens to a member whose entry disappears or is disabled in LDAP.
    "deprovision_action" VARCHAR(20) NOT NULL DEFAULT 'disable',
    -- An entry that comes back (or is enabled again) re-enables its member.
    "reenable_returning" BOOLEAN NOT NULL DEFAULT true,
    -- A run that would deprovision more than this share of the directory's members stops for an admin.
    "safety_stop_percent" INTEGER NOT NULL DEFAULT 10,
    -- Members of this directory sign in with their LDAP password (a bind as their DN).
    "sign_in_by_bind" BOOLEAN NOT NULL DEFAULT false,
    -- Highest change mark (modifyTimestamp, or uSNChanged on AD) applied so far: where the next incremental sync starts.
    "incremental_mark" VARCHAR(100),
    -- Set when an admin approved the first sync's dry run; until then every run is a dry run.
    "first_sync_approved_at" TIMESTAMPTZ(3),
    "last_synced_at" TIMESTAMPTZ(3),
    "created_by" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "directories_name_key" UNIQUE ("tenant_id", "name"),
    CONSTRAINT "directories_preset_check" CHECK ("preset" IN ('openldap', 'active_directory')),
    CONSTRAINT "directories_page_size_check" CHECK ("page_size" BETWEEN 1 AND 5000),
    CONSTRAINT "directories_interval_check" CHECK ("sync_interval_minutes" IS NULL OR "sync_interval_minutes" BETWEEN 5 AND 10080),
    CONSTRAINT "directories_department_source_check" CHECK ("department_source" IN ('none', 'ou_path', 'attribute')),
    CONSTRAINT "directories_link_check" CHECK ("link_existing_by" IN ('none', 'username', 'email')),
    CONSTRAINT "directories_deprovision_check" CHECK ("deprovision_action" IN ('disable', 'resign', 'archive', 'delete')),
    CONSTRAINT "directories_safety_check" CHECK ("safety_stop_percent" BETWEEN 1 AND 100)
);
CREATE INDEX "directories_tenant_idx" ON "directories" ("tenant_id", "id");

-- The specification's "User Directory ID", and the entry behind the member.
-- user_directory_id existed (the specification's field) but nothing wrote it.
UPDATE "users" SET "user_directory_id" = NULL WHERE "user_directory_id" IS NOT NULL;
ALTER TABLE "users"
    ADD CONSTRAINT "users_user_directory_id_fkey" FOREIGN KEY ("user_directory_id") REFERENCES "directories"("id") ON DELETE SET NULL,
    ADD COLUMN "directory_entry_id" VARCHAR(100),
    ADD COLUMN "directory_dn" VARCHAR(1000);
CREATE UNIQUE INDEX "users_directory_entry_key" ON "users" ("user_directory_id", "directory_entry_id") WHERE "user_directory_id" IS NOT NULL;

-- Departments and groups a directory created and keeps in step (key: OU DN or attribute value; group entry id).
ALTER TABLE "departments"
    ADD COLUMN "directory_id" BIGINT REFERENCES "directories"("id") ON DELETE SET NULL,
    ADD COLUMN "directory_key" VARCHAR(1000);
CREATE UNIQUE INDEX "departments_directory_key" ON "departments" ("directory_id", "directory_key") WHERE "directory_id" IS NOT NULL;
ALTER TABLE "groups"
    ADD COLUMN "directory_id" BIGINT REFERENCES "directories"("id") ON DELETE SET NULL,
    ADD COLUMN "directory_entry_id" VARCHAR(100);
CREATE UNIQUE INDEX "groups_directory_entry_key" ON "groups" ("directory_id", "directory_entry_id") WHERE "directory_id" IS NOT NULL;

-- A directory acting (a sync deprovisioning a leaver) is named on the events and receipts it writes.
ALTER TABLE "audit_events" ADD COLUMN "actor_directory_id" BIGINT;
ALTER TABLE "lifecycle_receipts" ADD COLUMN "actor_directory_id" BIGINT;

CREATE TABLE "directory_sync_runs" (
    "id" BIGSERIAL PRIMARY KEY,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "directory_id" BIGINT NOT NULL REFERENCES "directories"("id") ON DELETE CASCADE,
    -- 'full' reads every entry (and so sees who disappeared); 'incremental' reads entries changed since the mark.
    "kind" VARCHAR(20) NOT NULL,
    "dry_run" BOOLEAN NOT NULL,
    -- queued -> reading -> (planned | awaiting_approval | stopped) -> applying -> succeeded; failed from anywhere; cancelled by an admin.
    "status" VARCHAR(20) NOT NULL DEFAULT 'queued',
    "requested_by" BIGINT,
    "approved_by" BIGINT,
    "entries_read" INTEGER NOT NULL DEFAULT 0,
    "creates" INTEGER NOT NULL DEFAULT 0,
    "updates" INTEGER NOT NULL DEFAULT 0,
    "moves" INTEGER NOT NULL DEFAULT 0,
    "links" INTEGER NOT NULL DEFAULT 0,
    "deprovisions" INTEGER NOT NULL DEFAULT 0,
    "reenables" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    -- Staged entries applied so far (progress of the applying phase).
    "applied" INTEGER NOT NULL DEFAULT 0,
    -- The highest change mark this run read; becomes the directory's mark when the run succeeds.
    "incremental_mark" VARCHAR(100),
    "stop_reason" TEXT,
    "failure_message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    -- Touched while a worker holds the run: a stale one belonged to a worker that died.
    "heartbeat_at" TIMESTAMPTZ(3),
    CONSTRAINT "directory_sync_runs_kind_check" CHECK ("kind" IN ('full', 'incremental')),
    CONSTRAINT "directory_sync_runs_status_check" CHECK ("status" IN ('queued', 'reading', 'planned', 'awaiting_approval', 'stopped', 'applying', 'succeeded', 'failed', 'cancelled'))
);
CREATE INDEX "directory_sync_runs_directory_idx" ON "directory_sync_runs" ("directory_id", "id");
-- Never two runs at work on one directory at once.
CREATE UNIQUE INDEX "directory_sync_runs_one_active" ON "directory_sync_runs" ("directory_id") WHERE "status" IN ('queued', 'reading', 'applying');

-- One row per entry a run read (or per member it found missing): the plan, the progress and the report.
CREATE TABLE "directory_sync_entries" (
    "run_id" BIGINT NOT NULL REFERENCES "directory_sync_runs"("id") ON DELETE CASCADE,
    -- The entry's stable id; for a member whose entry is gone, the member's recorded one.
    "entry_id" VARCHAR(100) NOT NULL,
    "dn" VARCHAR(1000) NOT NULL,
    "action" VARCHAR(20) NOT NULL,
    "member_id" BIGINT,
    -- The entry mapped to Tenure's fields (department path included).
    "record" JSONB,
    -- field -> [before, after], for updates and moves.
    "changes" JSONB,
    -- [{ field, message }]: why the entry cannot be applied.
    "errors" JSONB,
    "applied_at" TIMESTAMPTZ(3),
    PRIMARY KEY ("run_id", "entry_id"),
    CONSTRAINT "directory_sync_entries_action_check" CHECK ("action" IN ('create', 'update', 'move', 'link', 'deprovision', 'reenable', 'unchanged', 'error'))
);
CREATE INDEX "directory_sync_entries_pending_idx" ON "directory_sync_entries" ("run_id", "action") WHERE "applied_at" IS NULL;
