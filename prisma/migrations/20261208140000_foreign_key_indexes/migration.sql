-- PostgreSQL runs a foreign key's ON DELETE action once per deleted row; with
-- no index leading with the referencing column, each run scans the whole
-- referencing table. Erasing one member of a 1,000,000-member tenant scanned
-- every grant table and scim_identities once per key, and a scheduled hard
-- delete of 10,000 members took hours. Each such key now either loses its
-- constraint (the column stays an id, nulled set-based by eraseMembers in
-- server/lifecycle/hard-delete-members.ts) or gains an index.
-- tests/integration/foreign-key-indexes.test.ts keeps new keys from coming back unindexed.

-- Who granted access: a record of who did it on tables of millions of rows
-- (bulk grants, inheritance). An index would cost every grant a write; erasing
-- members nulls the column in one statement per table instead.
ALTER TABLE "member_roles" DROP CONSTRAINT "member_roles_granted_by_fkey";
ALTER TABLE "member_groups" DROP CONSTRAINT "member_groups_granted_by_fkey";
ALTER TABLE "member_applications" DROP CONSTRAINT "member_applications_granted_by_fkey";
ALTER TABLE "member_policies" DROP CONSTRAINT "member_policies_granted_by_fkey";
ALTER TABLE "department_roles" DROP CONSTRAINT "department_roles_granted_by_fkey";
ALTER TABLE "department_applications" DROP CONSTRAINT "department_applications_granted_by_fkey";
ALTER TABLE "group_roles" DROP CONSTRAINT "group_roles_granted_by_fkey";
ALTER TABLE "group_applications" DROP CONSTRAINT "group_applications_granted_by_fkey";

-- A SCIM manager is a real reference the key keeps valid on every path; the
-- index costs a SCIM write little. Most members' identities name no manager.
CREATE INDEX "scim_identities_manager_idx" ON "scim_identities" ("manager_id") WHERE "manager_id" IS NOT NULL;
-- Revoking or deleting a token nulls its identities: without it, a scan of every tenant's identities.
CREATE INDEX "scim_identities_api_token_idx" ON "scim_identities" ("api_token_id");
-- Deleting an application cascades to its receipts' accounts.
CREATE INDEX "lifecycle_receipt_accounts_application_idx" ON "lifecycle_receipt_accounts" ("application_id");

-- Small tables (a few rows per organisation, written by admins): an index is cheap.
CREATE INDEX "api_tokens_created_by_idx" ON "api_tokens" ("created_by");
-- Most tokens are never revoked.
CREATE INDEX "api_tokens_revoked_by_idx" ON "api_tokens" ("revoked_by") WHERE "revoked_by" IS NOT NULL;
CREATE INDEX "webhook_endpoints_created_by_idx" ON "webhook_endpoints" ("created_by");
CREATE INDEX "import_mappings_created_by_idx" ON "import_mappings" ("created_by");
CREATE INDEX "application_client_secrets_created_by_idx" ON "application_client_secrets" ("created_by");
CREATE INDEX "member_imports_created_by_idx" ON "member_imports" ("created_by");
-- Many imports stop at the dry run.
CREATE INDEX "member_imports_applied_by_idx" ON "member_imports" ("applied_by") WHERE "applied_by" IS NOT NULL;

-- Nulling an erased granter's id touches nothing that matters to access: the
-- grant stays. A member's grant refuses changes once the member is archived
-- or deleted, but not this one (as users' created_by), and without a trigger
-- call per row: only the columns that say who holds what fire it.
DROP TRIGGER "member_roles_member_writable" ON "member_roles";
CREATE TRIGGER "member_roles_member_writable" BEFORE INSERT OR UPDATE OF "user_id", "role_id", "granted_at" ON "member_roles"
    FOR EACH ROW EXECUTE FUNCTION "tenure_refuse_relation_for_inactive_member"();
DROP TRIGGER "member_groups_member_writable" ON "member_groups";
CREATE TRIGGER "member_groups_member_writable" BEFORE INSERT OR UPDATE OF "user_id", "group_id", "granted_at" ON "member_groups"
    FOR EACH ROW EXECUTE FUNCTION "tenure_refuse_relation_for_inactive_member"();
DROP TRIGGER "member_applications_member_writable" ON "member_applications";
CREATE TRIGGER "member_applications_member_writable" BEFORE INSERT OR UPDATE OF "user_id", "application_id", "granted_at" ON "member_applications"
    FOR EACH ROW EXECUTE FUNCTION "tenure_refuse_relation_for_inactive_member"();
DROP TRIGGER "member_policies_member_writable" ON "member_policies";
CREATE TRIGGER "member_policies_member_writable" BEFORE INSERT OR UPDATE OF "user_id", "policy_id", "granted_at" ON "member_policies"
    FOR EACH ROW EXECUTE FUNCTION "tenure_refuse_relation_for_inactive_member"();

-- Likewise a department's grant: an UPDATE that changed only granted_by no
-- longer recomputes the access of every member under the department (a grant
-- to the top department with its subtree reaches the whole organisation).
-- (Statement triggers with transition tables cannot name columns.)
CREATE OR REPLACE FUNCTION tenure_department_grants_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE reached bigint[]; granted_roles bigint[]; granted_apps bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT tenure_members_under(array_agg(department_id), array_agg(subtree)) INTO reached FROM new_grants;
    SELECT array_agg(DISTINCT (to_jsonb(g) ->> 'role_id')::bigint), array_agg(DISTINCT (to_jsonb(g) ->> 'application_id')::bigint)
      INTO granted_roles, granted_apps FROM new_grants g;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT tenure_members_under(array_agg(department_id), array_agg(subtree)) INTO reached FROM old_grants;
    SELECT array_agg(DISTINCT (to_jsonb(g) ->> 'role_id')::bigint), array_agg(DISTINCT (to_jsonb(g) ->> 'application_id')::bigint)
      INTO granted_roles, granted_apps FROM old_grants g;
  ELSE
    -- As many rows before as after: none new but for granted_by means nothing that grants access changed.
    IF NOT EXISTS (SELECT to_jsonb(n) - 'granted_by' FROM new_grants n EXCEPT ALL SELECT to_jsonb(o) - 'granted_by' FROM old_grants o) THEN
      RETURN NULL;
    END IF;
    SELECT tenure_members_under(array_agg(department_id), array_agg(subtree)) INTO reached
    FROM (SELECT department_id, subtree FROM new_grants UNION ALL SELECT department_id, subtree FROM old_grants) g;
    SELECT array_agg(DISTINCT (to_jsonb(g) ->> 'role_id')::bigint), array_agg(DISTINCT (to_jsonb(g) ->> 'application_id')::bigint)
      INTO granted_roles, granted_apps FROM (SELECT * FROM new_grants UNION ALL SELECT * FROM old_grants) g;
  END IF;
  PERFORM tenure_refresh_granted(reached, array_remove(granted_roles, NULL), array_remove(granted_apps, NULL));
  RETURN NULL;
END $$;
