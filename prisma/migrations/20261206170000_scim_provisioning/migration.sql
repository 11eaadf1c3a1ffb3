-- Outbound SCIM 2.0 provisioning (issue 15): an application's own accounts
-- follow Tenure's lifecycle. One row of settings per application, one row of
-- state per (application, member), the dead letters, and the reconciliation
-- runs. Jobs are enqueued by the triggers below, in the transaction of the
-- change that causes them, whatever code path made it.

CREATE TABLE "application_scim_settings" (
  "application_id"   BIGINT PRIMARY KEY REFERENCES "applications"("id") ON DELETE CASCADE,
  "tenant_id"        BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
  "base_url"         VARCHAR(2000) NOT NULL,
  -- The bearer token, sealed (server/shared/secret-box.ts) and bound to the application id; never returned.
  "sealed_token"     TEXT NOT NULL,
  "attribute_mapping" JSONB NOT NULL DEFAULT '{}',
  "deprovision_mode" VARCHAR(16) NOT NULL DEFAULT 'deactivate' CHECK ("deprovision_mode" IN ('deactivate', 'delete')),
  "push_groups"      BOOLEAN NOT NULL DEFAULT false,
  -- Jobs run only while enabled; the first reconciliation (a dry run) must be approved before it is.
  "enabled"          BOOLEAN NOT NULL DEFAULT false,
  "first_reconciliation_approved_at" TIMESTAMPTZ(3),
  "created_at"       TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at"       TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "application_scim_settings_tenant_idx" ON "application_scim_settings" ("tenant_id", "application_id");

-- No foreign key to users: a hard-deleted member's row stays until the job has
-- deleted the remote account it names.
CREATE TABLE "member_provisioning" (
  "application_id" BIGINT NOT NULL REFERENCES "applications"("id") ON DELETE CASCADE,
  "user_id"        BIGINT NOT NULL,
  "tenant_id"      BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
  "status"         VARCHAR(16) NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'provisioned', 'deactivated', 'failed', 'deleted')),
  "remote_id"      VARCHAR(200),
  "last_error"     VARCHAR(300),
  -- sha256 of the last representation the peer accepted: an unchanged member is not sent again.
  "last_sent_hash" VARCHAR(64),
  "deactivated_at" TIMESTAMPTZ(3),
  "updated_at"     TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY ("application_id", "user_id")
);
CREATE INDEX "member_provisioning_user_idx" ON "member_provisioning" ("user_id");
CREATE INDEX "member_provisioning_status_idx" ON "member_provisioning" ("application_id", "status");

-- A (member, application) change that failed after every retry; "Retry" deletes the row and queues the job again.
CREATE TABLE "provisioning_dead_letters" (
  "id"             BIGSERIAL PRIMARY KEY,
  "tenant_id"      BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
  "application_id" BIGINT NOT NULL REFERENCES "applications"("id") ON DELETE CASCADE,
  "user_id"        BIGINT NOT NULL,
  "error"          VARCHAR(300) NOT NULL,
  "attempts"       INTEGER NOT NULL,
  "failed_at"      TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "provisioning_dead_letters_pair_key" UNIQUE ("application_id", "user_id")
);
CREATE INDEX "provisioning_dead_letters_tenant_idx" ON "provisioning_dead_letters" ("tenant_id", "application_id", "id");

-- When each application account of a member was closed, beside the lifecycle receipt of the action that closed it.
CREATE TABLE "lifecycle_receipt_accounts" (
  "receipt_id"     BIGINT NOT NULL REFERENCES "lifecycle_receipts"("id") ON DELETE CASCADE,
  "application_id" BIGINT NOT NULL REFERENCES "applications"("id") ON DELETE CASCADE,
  "outcome"        VARCHAR(16) NOT NULL CHECK ("outcome" IN ('deactivated', 'deleted')),
  "closed_at"      TIMESTAMPTZ(3) NOT NULL,
  PRIMARY KEY ("receipt_id", "application_id")
);

CREATE TABLE "provisioning_reconciliations" (
  "id"             BIGSERIAL PRIMARY KEY,
  "tenant_id"      BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
  "application_id" BIGINT NOT NULL REFERENCES "applications"("id") ON DELETE CASCADE,
  "dry_run"        BOOLEAN NOT NULL,
  "status"         VARCHAR(16) NOT NULL DEFAULT 'queued' CHECK ("status" IN ('queued', 'running', 'completed', 'failed')),
  "accounts_read"  INTEGER NOT NULL DEFAULT 0,
  -- Counts by finding: {"missing": n, "unmanaged": n, "reenabled": n, "linked": n}.
  "findings"       JSONB NOT NULL DEFAULT '{}',
  "error"          VARCHAR(300),
  "requested_by"   BIGINT,
  "created_at"     TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "finished_at"    TIMESTAMPTZ(3)
);
CREATE INDEX "provisioning_reconciliations_app_idx" ON "provisioning_reconciliations" ("application_id", "id");

-- The report: one line per drift found (and what was done about it, unless a dry run).
CREATE TABLE "provisioning_reconciliation_items" (
  "id"                BIGSERIAL PRIMARY KEY,
  "reconciliation_id" BIGINT NOT NULL REFERENCES "provisioning_reconciliations"("id") ON DELETE CASCADE,
  "finding"           VARCHAR(16) NOT NULL CHECK ("finding" IN ('missing', 'unmanaged', 'reenabled', 'linked')),
  "user_id"           BIGINT,
  "remote_id"         VARCHAR(200),
  "user_name"         VARCHAR(300),
  "action"            VARCHAR(16) NOT NULL CHECK ("action" IN ('queued', 'reported', 'none'))
);
CREATE INDEX "provisioning_reconciliation_items_run_idx" ON "provisioning_reconciliation_items" ("reconciliation_id", "id");

-- The members a reconciliation found at the peer (by externalId), page by page, so the
-- ones missing there are one query at the end and the job's memory stays flat.
CREATE TABLE "provisioning_reconciliation_seen" (
  "reconciliation_id" BIGINT NOT NULL REFERENCES "provisioning_reconciliations"("id") ON DELETE CASCADE,
  "user_id"           BIGINT NOT NULL,
  PRIMARY KEY ("reconciliation_id", "user_id")
);

-- One job per (application, member) change: the job converges the peer to
-- what the member should have now, so a later change never undoes an earlier
-- one; the queue named after the pair runs them one at a time, in order, and
-- the job key folds changes that have not started yet into one.
CREATE FUNCTION tenure_provisioning_enqueue(pairs bigint[][]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF pairs IS NULL OR cardinality(pairs) = 0 THEN RETURN; END IF;
  PERFORM graphile_worker.add_jobs(array_agg((
    'provisioning__sync_member',
    json_build_object('applicationId', p.app::text, 'memberId', p.member::text),
    'scim:' || p.app || ':' || p.member, NULL, NULL, 'scim:' || p.app || ':' || p.member, NULL, NULL)::graphile_worker.job_spec))
  FROM (SELECT DISTINCT pairs[i][1] AS app, pairs[i][2] AS member FROM generate_subscripts(pairs, 1) AS i) p;
END $$;

-- Effective access moved (a grant, an inherited path, a lifecycle action, an
-- import, a directory sync: every path ends in member_access_profiles): each
-- member who gained or lost a provisioned application gets a job.
CREATE FUNCTION tenure_provisioning_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE pairs bigint[][];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM application_scim_settings WHERE enabled) THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    pairs := ARRAY(SELECT ARRAY[i.item_id, n.user_id] FROM new_profiles n
                   JOIN access_profile_items i ON i.profile_id = n.profile_id AND i.kind = 2
                   JOIN application_scim_settings s ON s.application_id = i.item_id AND s.enabled);
  ELSIF TG_OP = 'DELETE' THEN
    pairs := ARRAY(SELECT ARRAY[i.item_id, o.user_id] FROM old_profiles o
                   JOIN access_profile_items i ON i.profile_id = o.profile_id AND i.kind = 2
                   JOIN application_scim_settings s ON s.application_id = i.item_id AND s.enabled);
  ELSE
    pairs := ARRAY(
      SELECT ARRAY[d.item_id, d.user_id] FROM (
        (SELECT n.user_id, i.item_id FROM new_profiles n JOIN access_profile_items i ON i.profile_id = n.profile_id AND i.kind = 2
         EXCEPT SELECT o.user_id, i.item_id FROM old_profiles o JOIN access_profile_items i ON i.profile_id = o.profile_id AND i.kind = 2)
        UNION
        (SELECT o.user_id, i.item_id FROM old_profiles o JOIN access_profile_items i ON i.profile_id = o.profile_id AND i.kind = 2
         EXCEPT SELECT n.user_id, i.item_id FROM new_profiles n JOIN access_profile_items i ON i.profile_id = n.profile_id AND i.kind = 2)) d
      JOIN application_scim_settings s ON s.application_id = d.item_id AND s.enabled);
  END IF;
  IF cardinality(pairs) = 0 THEN RETURN NULL; END IF;
  -- A member who gains the application shows as pending until the peer answers.
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO member_provisioning (application_id, user_id, tenant_id, status)
    SELECT p.app, p.member, s.tenant_id, 'pending'
    FROM (SELECT pairs[k][1] AS app, pairs[k][2] AS member FROM generate_subscripts(pairs, 1) k) p
    JOIN application_scim_settings s ON s.application_id = p.app
    WHERE EXISTS (SELECT 1 FROM new_profiles n JOIN access_profile_items i ON i.profile_id = n.profile_id AND i.kind = 2 AND i.item_id = p.app
                  WHERE n.user_id = p.member)
    ON CONFLICT (application_id, user_id) DO UPDATE SET status = 'pending', updated_at = now()
      WHERE member_provisioning.status <> 'provisioned';
  END IF;
  PERFORM tenure_provisioning_enqueue(pairs);
  RETURN NULL;
END $$;

CREATE TRIGGER "member_access_profiles_provisioning_added" AFTER INSERT ON "member_access_profiles"
  REFERENCING NEW TABLE AS new_profiles FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_access_changed();
CREATE TRIGGER "member_access_profiles_provisioning_moved" AFTER UPDATE ON "member_access_profiles"
  REFERENCING OLD TABLE AS old_profiles NEW TABLE AS new_profiles FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_access_changed();
CREATE TRIGGER "member_access_profiles_provisioning_removed" AFTER DELETE ON "member_access_profiles"
  REFERENCING OLD TABLE AS old_profiles FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_access_changed();

-- A member's profile changed (an admin's edit, self-service, an import, a
-- directory sync all write users): members with an account at a provisioned
-- application get a job, which sends a PATCH if what the peer sees changed.
CREATE FUNCTION tenure_provisioning_profile_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM application_scim_settings WHERE enabled) THEN RETURN NULL; END IF;
  PERFORM tenure_provisioning_enqueue(ARRAY(
    SELECT ARRAY[p.application_id, n.id] FROM new_users n JOIN old_users o ON o.id = n.id
    JOIN member_provisioning p ON p.user_id = n.id AND p.status IN ('provisioned', 'failed')
    JOIN application_scim_settings s ON s.application_id = p.application_id AND s.enabled
    WHERE (n.username, n.email, n.first_name, n.last_name, n.full_name, n.mobile, n.landline, n.title, n.main_department_id)
          IS DISTINCT FROM (o.username, o.email, o.first_name, o.last_name, o.full_name, o.mobile, o.landline, o.title, o.main_department_id)));
  RETURN NULL;
END $$;

CREATE TRIGGER "users_provisioning_profile_changed" AFTER UPDATE ON "users"
  REFERENCING OLD TABLE AS old_users NEW TABLE AS new_users FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_profile_changed();

-- A member erased outright: their remote accounts are deleted (the state row names them until then).
CREATE FUNCTION tenure_provisioning_member_erased() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM application_scim_settings WHERE enabled) THEN RETURN NULL; END IF;
  PERFORM tenure_provisioning_enqueue(ARRAY(
    SELECT ARRAY[p.application_id, p.user_id] FROM old_users o
    JOIN member_provisioning p ON p.user_id = o.id AND p.remote_id IS NOT NULL
    JOIN application_scim_settings s ON s.application_id = p.application_id AND s.enabled));
  RETURN NULL;
END $$;

CREATE TRIGGER "users_provisioning_erased" AFTER DELETE ON "users"
  REFERENCING OLD TABLE AS old_users FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_member_erased();
