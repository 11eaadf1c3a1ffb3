-- "Test connection" and "Preview 20 entries" make the server connect to an
-- address an owner typed: each one is counted here, per organisation, so a
-- burst (or a script) cannot make the server hammer a host. Rows older than
-- the window are deleted by the next probe of the organisation.
CREATE TABLE "directory_probes" (
    "id" BIGSERIAL PRIMARY KEY,
    "tenant_id" BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "member_id" BIGINT REFERENCES "users"("id") ON DELETE SET NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "directory_probes_tenant_idx" ON "directory_probes" ("tenant_id", "created_at");

-- Deleting a directory detaches its members (they become local members whose
-- fields are no longer managed), archived ones included: an archived member's
-- row stays read-only except that its directory columns may become NULL.
CREATE OR REPLACE FUNCTION "tenure_refuse_archived_member_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (to_jsonb(OLD) - 'created_by' - 'last_modified_by' - 'user_directory_id' - 'directory_entry_id' - 'directory_dn')
         IS DISTINCT FROM (to_jsonb(NEW) - 'created_by' - 'last_modified_by' - 'user_directory_id' - 'directory_entry_id' - 'directory_dn')
       OR (NEW."user_directory_id" IS NOT NULL AND NEW."user_directory_id" IS DISTINCT FROM OLD."user_directory_id")
       OR (NEW."directory_entry_id" IS NOT NULL AND NEW."directory_entry_id" IS DISTINCT FROM OLD."directory_entry_id")
       OR (NEW."directory_dn" IS NOT NULL AND NEW."directory_dn" IS DISTINCT FROM OLD."directory_dn") THEN
        RAISE EXCEPTION 'tenure:member_archived: member % is archived and cannot be modified', OLD."id";
    END IF;
    RETURN NEW;
END $$;
