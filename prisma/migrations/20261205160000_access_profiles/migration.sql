-- Effective access as shared profiles (issue 12, the department-move target).
-- Members whose effective sets are identical share one profile: a member's
-- access is one row (member -> profile), a profile's items are stored once.
-- Moving a department of 50,000 members rewrites 50,000 narrow rows instead of
-- every (member, item) pair (952,000 at a million members), and the
-- per-member changes it records are profile pairs, whose differences are
-- computed once per pair. `member_access` becomes a view with the same
-- columns, so every reader keeps its meaning.

-- A set of (kind, item) pairs; `signature` (md5 of the sorted pairs) finds an existing one.
-- Item ids are global, so two organisations never share a profile. There are as many
-- as distinct effective sets (1,008 for a million members in the bench); the ones no
-- member holds any more are swept, under the organisation's access lock
-- (tenure_sweep_access_profiles), so no foreign key from members is needed.
CREATE TABLE "access_profiles" (
  "id"         BIGSERIAL PRIMARY KEY,
  "tenant_id"  BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
  "signature"  TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "access_profiles_signature_key" UNIQUE ("signature")
);
CREATE INDEX "access_profiles_tenant_idx" ON "access_profiles" ("tenant_id", "id");

CREATE TABLE "access_profile_items" (
  "profile_id" BIGINT NOT NULL REFERENCES "access_profiles"("id") ON DELETE CASCADE,
  "kind"       SMALLINT NOT NULL CHECK ("kind" IN (1, 2, 3)),
  "item_id"    BIGINT NOT NULL,
  PRIMARY KEY ("profile_id", "kind", "item_id")
);
CREATE INDEX "access_profile_items_holders_idx" ON "access_profile_items" ("kind", "item_id", "profile_id");

-- Only members who can sign in and hold something have a row.
CREATE TABLE "member_access_profiles" (
  "user_id"    BIGINT PRIMARY KEY REFERENCES "users"("id") ON DELETE CASCADE,
  "profile_id" BIGINT NOT NULL
);
CREATE INDEX "member_access_profiles_profile_idx" ON "member_access_profiles" ("profile_id", "user_id");

-- Today's effective access, moved into profiles.
CREATE TEMP TABLE "migrating_signatures" ON COMMIT DROP AS
  SELECT user_id, md5(string_agg(kind || ':' || item_id, ',' ORDER BY kind, item_id)) AS signature
  FROM member_access GROUP BY user_id;
INSERT INTO access_profiles (tenant_id, signature)
SELECT DISTINCT ON (s.signature) u.tenant_id, s.signature FROM migrating_signatures s JOIN users u ON u.id = s.user_id ORDER BY s.signature;
INSERT INTO access_profile_items (profile_id, kind, item_id)
SELECT p.id, ma.kind, ma.item_id
FROM (SELECT DISTINCT ON (signature) signature, user_id FROM migrating_signatures ORDER BY signature, user_id) r
JOIN access_profiles p ON p.signature = r.signature
JOIN member_access ma ON ma.user_id = r.user_id;
INSERT INTO member_access_profiles (user_id, profile_id)
SELECT s.user_id, p.id FROM migrating_signatures s JOIN access_profiles p ON p.signature = s.signature;

DROP TABLE "member_access" CASCADE;
DROP FUNCTION tenure_member_access_added();
DROP FUNCTION tenure_member_access_removed();

CREATE VIEW "member_access" AS
  SELECT m.user_id, i.kind, i.item_id
  FROM member_access_profiles m JOIN access_profile_items i ON i.profile_id = m.profile_id;

-- Recomputes the members' effective access and moves each to the profile of
-- their new set. With `roles`, `apps` and `policies` only those items are
-- recomputed from the paths; the rest of each member's profile stays as it is.
CREATE OR REPLACE FUNCTION tenure_refresh_member_access(ids bigint[], roles bigint[] DEFAULT NULL, apps bigint[] DEFAULT NULL, policies bigint[] DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE active bigint[];
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
  PERFORM tenure_lock_access_of_members(ids);
  -- Who can sign in (read after the lock: a change that committed meanwhile is seen), so the paths are read for them only.
  active := ARRAY(SELECT id FROM users WHERE id = ANY(ids) AND state = 'active');
  ids := ARRAY(SELECT DISTINCT x FROM unnest(ids) x WHERE x IS NOT NULL);
  CREATE TEMP TABLE IF NOT EXISTS tenure_wanted_access (user_id bigint, kind smallint, item_id bigint) ON COMMIT DROP;
  CREATE TEMP TABLE IF NOT EXISTS tenure_new_profiles (user_id bigint NOT NULL, signature text NOT NULL, profile_id bigint) ON COMMIT DROP;
  TRUNCATE tenure_wanted_access, tenure_new_profiles;
  IF roles IS NULL THEN
    INSERT INTO tenure_wanted_access SELECT DISTINCT p.user_id, p.kind, p.item_id FROM member_access_paths p WHERE p.user_id = ANY(active);
    INSERT INTO tenure_new_profiles (user_id, signature)
    SELECT user_id, md5(string_agg(kind || ':' || item_id, ',' ORDER BY kind, item_id)) FROM tenure_wanted_access GROUP BY user_id;
  ELSE
    apps := coalesce(apps, '{}');
    policies := coalesce(policies, '{}');
    -- Only the named items are read from the paths ("the part"); members who had the
    -- same profile and get the same part get the same new set, so each distinct
    -- (old profile, part) is worked out once, not once per member.
    CREATE TEMP TABLE IF NOT EXISTS tenure_access_parts (user_id bigint NOT NULL, old_profile bigint NOT NULL, part bigint[] NOT NULL) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS tenure_access_combos (combo bigserial, old_profile bigint NOT NULL, part bigint[] NOT NULL, holder bigint NOT NULL, signature text) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS tenure_combo_items (combo bigint, kind smallint, item_id bigint) ON COMMIT DROP;
    TRUNCATE tenure_access_parts, tenure_access_combos, tenure_combo_items;
    INSERT INTO tenure_wanted_access
    SELECT DISTINCT p.user_id, p.kind, p.item_id FROM member_access_paths p
    WHERE p.user_id = ANY(active)
      AND ((p.kind = 1 AND p.item_id = ANY(roles)) OR (p.kind = 2 AND p.item_id = ANY(apps)) OR (p.kind = 3 AND p.item_id = ANY(policies)));
    -- A part is its (kind, item) pairs as sorted numbers: cheaper to build and compare than text.
    INSERT INTO tenure_access_parts (user_id, old_profile, part)
    SELECT a.id, coalesce(m.profile_id, 0), coalesce(w.part, '{}')
    FROM unnest(active) AS a(id)
    LEFT JOIN member_access_profiles m ON m.user_id = a.id
    LEFT JOIN (SELECT user_id, array_agg((kind::bigint << 56) | item_id ORDER BY kind, item_id) AS part FROM tenure_wanted_access GROUP BY user_id) w ON w.user_id = a.id;
    INSERT INTO tenure_access_combos (old_profile, part, holder)
    SELECT old_profile, part, min(user_id) FROM tenure_access_parts GROUP BY old_profile, part;
    INSERT INTO tenure_combo_items (combo, kind, item_id)
    SELECT c.combo, w.kind, w.item_id FROM tenure_access_combos c JOIN tenure_wanted_access w ON w.user_id = c.holder
    UNION ALL
    SELECT c.combo, i.kind, i.item_id FROM tenure_access_combos c JOIN access_profile_items i ON i.profile_id = c.old_profile
    WHERE NOT ((i.kind = 1 AND i.item_id = ANY(roles)) OR (i.kind = 2 AND i.item_id = ANY(apps)) OR (i.kind = 3 AND i.item_id = ANY(policies)));
    UPDATE tenure_access_combos c SET signature = s.signature
    FROM (SELECT combo, md5(string_agg(kind || ':' || item_id, ',' ORDER BY kind, item_id)) AS signature FROM tenure_combo_items GROUP BY combo) s
    WHERE s.combo = c.combo;
    -- The holders' items stand for their combination's (the profile's items are written from them below).
    TRUNCATE tenure_wanted_access;
    INSERT INTO tenure_wanted_access SELECT c.holder, i.kind, i.item_id FROM tenure_access_combos c JOIN tenure_combo_items i ON i.combo = c.combo;
    INSERT INTO tenure_new_profiles (user_id, signature)
    SELECT p.user_id, c.signature FROM tenure_access_parts p
    JOIN tenure_access_combos c ON c.old_profile = p.old_profile AND c.part = p.part
    WHERE c.signature IS NOT NULL;
  END IF;
  -- New sets get a profile (items from one member who has the set).
  WITH created AS (
    INSERT INTO access_profiles (tenant_id, signature)
    SELECT DISTINCT ON (n.signature) u.tenant_id, n.signature FROM tenure_new_profiles n JOIN users u ON u.id = n.user_id
    WHERE NOT EXISTS (SELECT 1 FROM access_profiles p WHERE p.signature = n.signature)
    ORDER BY n.signature
    ON CONFLICT (signature) DO NOTHING
    RETURNING id, signature
  ), holder AS (
    SELECT DISTINCT ON (n.signature) n.signature, n.user_id FROM tenure_new_profiles n JOIN created c ON c.signature = n.signature
    ORDER BY n.signature, n.user_id
  )
  INSERT INTO access_profile_items (profile_id, kind, item_id)
  SELECT c.id, w.kind, w.item_id FROM created c JOIN holder h ON h.signature = c.signature JOIN tenure_wanted_access w ON w.user_id = h.user_id;
  UPDATE tenure_new_profiles n SET profile_id = p.id FROM access_profiles p WHERE p.signature = n.signature;
  -- The planner needs the numbers for a big change; a small one is cheaper without them.
  IF cardinality(ids) > 1000 THEN ANALYZE tenure_new_profiles; END IF;
  -- The preview of a change that refreshes once (a department move, a grant to
  -- a department or group) stops here: the profile changes it would make are
  -- recorded, not made, and the transaction is rolled back anyway.
  IF current_setting('tenure.access_dry_run', true) = 'on' THEN
    INSERT INTO tenure_profile_changes (user_id, old_profile, new_profile)
    SELECT u.id, m.profile_id, n.profile_id FROM unnest(ids) AS u(id)
    LEFT JOIN member_access_profiles m ON m.user_id = u.id LEFT JOIN tenure_new_profiles n ON n.user_id = u.id
    WHERE m.profile_id IS DISTINCT FROM n.profile_id;
    RETURN;
  END IF;
  DELETE FROM member_access_profiles m WHERE m.user_id = ANY(ids) AND NOT EXISTS (SELECT 1 FROM tenure_new_profiles n WHERE n.user_id = m.user_id);
  UPDATE member_access_profiles m SET profile_id = n.profile_id FROM tenure_new_profiles n WHERE m.user_id = n.user_id AND m.profile_id <> n.profile_id;
  INSERT INTO member_access_profiles (user_id, profile_id)
  SELECT n.user_id, n.profile_id FROM tenure_new_profiles n
  WHERE NOT EXISTS (SELECT 1 FROM member_access_profiles m WHERE m.user_id = n.user_id)
  ORDER BY n.user_id;
END $$;

-- A member moving between profiles moves the heatmap's counts in every
-- department they are in (grouped by profile first: a profile's items are read
-- once per department) and, when a service asked, is recorded for its preview
-- or audit event (server/access-changes/access-changes.ts).
CREATE FUNCTION tenure_member_profiles_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A statement trigger fires for statements that changed nothing too.
  IF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM old_profiles) THEN RETURN NULL; END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM new_profiles) THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    INSERT INTO department_access_counts (department_id, policy_id, holders)
    SELECT g.department_id, i.item_id, -sum(g.members) FROM (
      SELECT dm.department_id, o.profile_id, count(*) AS members FROM old_profiles o
      JOIN department_members dm ON dm.user_id = o.user_id JOIN departments d ON d.id = dm.department_id
      GROUP BY dm.department_id, o.profile_id) g
    JOIN access_profile_items i ON i.profile_id = g.profile_id AND i.kind = 3
    GROUP BY g.department_id, i.item_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO department_access_counts (department_id, policy_id, holders)
    SELECT g.department_id, i.item_id, sum(g.members) FROM (
      SELECT dm.department_id, n.profile_id, count(*) AS members FROM new_profiles n
      JOIN department_members dm ON dm.user_id = n.user_id
      GROUP BY dm.department_id, n.profile_id) g
    JOIN access_profile_items i ON i.profile_id = g.profile_id AND i.kind = 3
    GROUP BY g.department_id, i.item_id;
  END IF;
  IF current_setting('tenure.record_access', true) = 'on' THEN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO tenure_profile_changes (user_id, old_profile, new_profile) SELECT user_id, NULL, profile_id FROM new_profiles;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO tenure_profile_changes (user_id, old_profile, new_profile) SELECT user_id, profile_id, NULL FROM old_profiles;
    ELSE
      INSERT INTO tenure_profile_changes (user_id, old_profile, new_profile)
      SELECT n.user_id, o.profile_id, n.profile_id FROM new_profiles n JOIN old_profiles o ON o.user_id = n.user_id;
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "member_access_profiles_added" AFTER INSERT ON "member_access_profiles"
  REFERENCING NEW TABLE AS new_profiles FOR EACH STATEMENT EXECUTE FUNCTION tenure_member_profiles_changed();
CREATE TRIGGER "member_access_profiles_moved" AFTER UPDATE ON "member_access_profiles"
  REFERENCING OLD TABLE AS old_profiles NEW TABLE AS new_profiles FOR EACH STATEMENT EXECUTE FUNCTION tenure_member_profiles_changed();
CREATE TRIGGER "member_access_profiles_removed" AFTER DELETE ON "member_access_profiles"
  REFERENCING OLD TABLE AS old_profiles FOR EACH STATEMENT EXECUTE FUNCTION tenure_member_profiles_changed();

-- A role's policies change the permission of exactly the role's holders: only those policies are recomputed.
CREATE OR REPLACE FUNCTION tenure_role_policies_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tenure_lock_access_of_tenants(ARRAY(SELECT DISTINCT r.tenant_id FROM new_links n JOIN roles r ON r.id = n.role_id));
  PERFORM tenure_refresh_member_access(
    ARRAY(SELECT DISTINCT h.user_id FROM member_access h WHERE h.kind = 1 AND h.item_id IN (SELECT role_id FROM new_links)),
    '{}', '{}', ARRAY(SELECT DISTINCT policy_id FROM new_links));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tenure_role_policies_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tenure_lock_access_of_tenants(ARRAY(SELECT DISTINCT p.tenant_id FROM old_links o JOIN policies p ON p.id = o.policy_id));
  PERFORM tenure_refresh_member_access(
    ARRAY(SELECT DISTINCT h.user_id FROM member_access h WHERE h.kind = 1 AND h.item_id IN (SELECT role_id FROM old_links)),
    '{}', '{}', ARRAY(SELECT DISTINCT policy_id FROM old_links));
  RETURN NULL;
END $$;

-- A member's row deleted outright: their profile leaves the counts while their memberships still exist.
CREATE OR REPLACE FUNCTION tenure_users_access_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.state = 'active' THEN
    INSERT INTO department_access_counts (department_id, policy_id, holders)
    SELECT dm.department_id, 0, -1 FROM department_members dm WHERE dm.user_id = OLD.id;
  END IF;
  DELETE FROM member_access_profiles WHERE user_id = OLD.id;
  RETURN OLD;
END $$;

-- Profiles no member holds any more (a role deleted, a set nobody has now) go,
-- under the organisation's access lock: a change that is about to point members
-- at a profile holds the same lock, so it never finds one that is being swept.
-- `older_than` spares profiles made moments ago. Returns how many went.
CREATE FUNCTION tenure_sweep_access_profiles(tenant bigint, older_than interval DEFAULT interval '10 minutes') RETURNS integer LANGUAGE plpgsql AS $$
DECLARE swept integer;
BEGIN
  PERFORM tenure_lock_access_of_tenants(ARRAY[tenant]);
  DELETE FROM access_profiles p
  WHERE p.tenant_id = tenant AND p.created_at < now() - older_than
    AND NOT EXISTS (SELECT 1 FROM member_access_profiles m WHERE m.profile_id = p.id);
  GET DIAGNOSTICS swept = ROW_COUNT;
  RETURN swept;
END $$;
