-- The organisation tree: every tenant has one system "Departed" department
-- (resigned members move there), which cannot be deleted or moved; sibling
-- names are unique regardless of case.

ALTER TABLE "departments"
    ADD COLUMN "kind" VARCHAR(20) NOT NULL DEFAULT 'regular',
    ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ADD CONSTRAINT "departments_kind_check" CHECK ("kind" IN ('regular', 'departed')),
    ADD CONSTRAINT "departments_departed_is_root" CHECK ("kind" <> 'departed' OR "parent_id" IS NULL);

CREATE UNIQUE INDEX "departments_sibling_name_key" ON "departments" ("tenant_id", COALESCE("parent_id", 0), lower("name"));
CREATE UNIQUE INDEX "departments_one_departed_per_tenant" ON "departments" ("tenant_id") WHERE "kind" = 'departed';

-- Every tenant, however it is created, gets its Departed department.
CREATE FUNCTION "tenure_create_departed_department"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "departments" ("tenant_id", "name", "kind") VALUES (NEW."id", 'Departed', 'departed');
    RETURN NEW;
END $$;
CREATE TRIGGER "tenants_create_departed_department" AFTER INSERT ON "tenants"
    FOR EACH ROW EXECUTE FUNCTION "tenure_create_departed_department"();

INSERT INTO "departments" ("tenant_id", "name", "kind")
    SELECT t."id", 'Departed', 'departed' FROM "tenants" t
    WHERE NOT EXISTS (SELECT 1 FROM "departments" d WHERE d."tenant_id" = t."id" AND d."kind" = 'departed');

-- The Departed department goes only with its tenant (cascade), never alone.
CREATE FUNCTION "tenure_keep_departed_department"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD."kind" = 'departed' AND EXISTS (SELECT 1 FROM "tenants" WHERE "id" = OLD."tenant_id") THEN
        RAISE EXCEPTION 'The Departed department cannot be deleted';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER "departments_keep_departed" BEFORE DELETE ON "departments"
    FOR EACH ROW EXECUTE FUNCTION "tenure_keep_departed_department"();
