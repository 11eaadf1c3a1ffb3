-- Access inheritance (issue 12): departments and groups carry roles and
-- applications; a department grant may reach its whole subtree. Every
-- member's effective access (roles, applications, permissions) is kept in
-- member_access by triggers, in the same transaction as the change that
-- causes it, so can() and "who has X" are index lookups. A member who cannot
-- sign in (state other than active) holds nothing there.

-- can() reads "*" as a whole side of resource:action ("*:read", "reports:*"),
-- so a "*" inside a word ("rep*rts") means nothing and is refused from now
-- on; NOT VALID keeps any such old row readable instead of failing the upgrade.
ALTER TABLE "policies" DROP CONSTRAINT "policies_permission_check";
ALTER TABLE "policies" ADD CONSTRAINT "policies_permission_check"
  CHECK ("permission" ~ '^([a-z0-9_.-]+|\*):([a-z0-9_.-]+|\*)$') NOT VALID;

-- ---- Grants to departments and groups ----
CREATE TABLE "department_roles" (
  "department_id" BIGINT NOT NULL REFERENCES "departments"("id") ON DELETE CASCADE,
  "role_id"       BIGINT NOT NULL REFERENCES "roles"("id") ON DELETE CASCADE,
  "subtree"       BOOLEAN NOT NULL DEFAULT false,
  "granted_by"    BIGINT REFERENCES "users"("id") ON DELETE SET NULL,
  "granted_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("department_id", "role_id")
);
CREATE INDEX "department_roles_role_idx" ON "department_roles" ("role_id");

CREATE TABLE "department_applications" (
  "department_id"  BIGINT NOT NULL REFERENCES "departments"("id") ON DELETE CASCADE,
  "application_id" BIGINT NOT NULL REFERENCES "applications"("id") ON DELETE CASCADE,
  "subtree"        BOOLEAN NOT NULL DEFAULT false,
  "granted_by"     BIGINT REFERENCES "users"("id") ON DELETE SET NULL,
  "granted_at"     TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("department_id", "application_id")
);
CREATE INDEX "department_applications_application_idx" ON "department_applications" ("application_id");

CREATE TABLE "group_roles" (
  "group_id"   BIGINT NOT NULL REFERENCES "groups"("id") ON DELETE CASCADE,
  "role_id"    BIGINT NOT NULL REFERENCES "roles"("id") ON DELETE CASCADE,
  "granted_by" BIGINT REFERENCES "users"("id") ON DELETE SET NULL,
  "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("group_id", "role_id")
);
CREATE INDEX "group_roles_role_idx" ON "group_roles" ("role_id");

CREATE TABLE "group_applications" (
  "group_id"       BIGINT NOT NULL REFERENCES "groups"("id") ON DELETE CASCADE,
  "application_id" BIGINT NOT NULL REFERENCES "applications"("id") ON DELETE CASCADE,
  "granted_by"     BIGINT REFERENCES "users"("id") ON DELETE SET NULL,
  "granted_at"     TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("group_id", "application_id")
);
CREATE INDEX "group_applications_application_idx" ON "group_applications" ("application_id");

-- ---- The department tree's closure: every (ancestor, descendant) pair, itself at depth 0 ----
CREATE TABLE "department_closure" (
  "ancestor_id"   BIGINT NOT NULL REFERENCES "departments"("id") ON DELETE CASCADE,
  "descendant_id" BIGINT NOT NULL REFERENCES "departments"("id") ON DELETE CASCADE,
  "depth"         INTEGER NOT NULL,
  PRIMARY KEY ("descendant_id", "ancestor_id")
);
CREATE INDEX "department_closure_ancestor_idx" ON "department_closure" ("ancestor_id", "descendant_id");

INSERT INTO department_closure (ancestor_id, descendant_id, depth)
WITH RECURSIVE up AS (
  SELECT id AS descendant_id, id AS ancestor_id, parent_id, 0 AS depth FROM departments
  UNION ALL
  SELECT up.descendant_id, d.id, d.parent_id, up.depth + 1 FROM up JOIN departments d ON d.id = up.parent_id
)
SELECT ancestor_id, descendant_id, depth FROM up;

-- ---- Every path by which a member holds something (no state filter: see member_access) ----
-- Kinds: 1 role, 2 application, 3 permission (a policy).
CREATE VIEW "member_role_paths" AS
  SELECT mr.user_id, mr.role_id, 'direct'::text AS via, NULL::bigint AS group_id,
         NULL::bigint AS member_department_id, NULL::bigint AS grant_department_id, NULL::boolean AS subtree
  FROM member_roles mr
  UNION ALL
  SELECT mg.user_id, gr.role_id, 'group', mg.group_id, NULL, NULL, NULL
  FROM member_groups mg JOIN group_roles gr ON gr.group_id = mg.group_id
  UNION ALL
  SELECT dm.user_id, dr.role_id, 'department', NULL, dm.department_id, dr.department_id, dr.subtree
  FROM department_members dm
  JOIN department_closure c ON c.descendant_id = dm.department_id
  JOIN department_roles dr ON dr.department_id = c.ancestor_id AND (c.depth = 0 OR dr.subtree);

CREATE VIEW "member_access_paths" AS
  SELECT user_id, 1::smallint AS kind, role_id AS item_id, NULL::bigint AS through_role_id,
         via, group_id, member_department_id, grant_department_id, subtree
  FROM member_role_paths
  UNION ALL
  SELECT ma.user_id, 2::smallint, ma.application_id, NULL, 'direct', NULL, NULL, NULL, NULL FROM member_applications ma
  UNION ALL
  SELECT mg.user_id, 2::smallint, ga.application_id, NULL, 'group', mg.group_id, NULL, NULL, NULL
  FROM member_groups mg JOIN group_applications ga ON ga.group_id = mg.group_id
  UNION ALL
  SELECT dm.user_id, 2::smallint, da.application_id, NULL, 'department', NULL, dm.department_id, da.department_id, da.subtree
  FROM department_members dm
  JOIN department_closure c ON c.descendant_id = dm.department_id
  JOIN department_applications da ON da.department_id = c.ancestor_id AND (c.depth = 0 OR da.subtree)
  UNION ALL
  SELECT mp.user_id, 3::smallint, mp.policy_id, NULL, 'direct', NULL, NULL, NULL, NULL FROM member_policies mp
  UNION ALL
  SELECT r.user_id, 3::smallint, rp.policy_id, r.role_id, r.via, r.group_id, r.member_department_id, r.grant_department_id, r.subtree
  FROM member_role_paths r JOIN role_policies rp ON rp.role_id = r.role_id;

-- ---- Effective access, kept by triggers ----
CREATE TABLE "member_access" (
  "user_id" BIGINT NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "kind"    SMALLINT NOT NULL CHECK ("kind" IN (1, 2, 3)),
  "item_id" BIGINT NOT NULL,
  PRIMARY KEY ("user_id", "kind", "item_id")
);
CREATE INDEX "member_access_holders_idx" ON "member_access" ("kind", "item_id", "user_id");

-- The heatmap's counts per (department, policy): holders among the
-- department's direct members; policy_id 0 counts its members who can sign
-- in. Insert-only deltas (no row lock shared between transactions), folded by
-- tenure_compact_department_access_counts().
CREATE TABLE "department_access_counts" (
  "id"            BIGSERIAL PRIMARY KEY,
  "department_id" BIGINT NOT NULL,
  "policy_id"     BIGINT NOT NULL,
  "holders"       INTEGER NOT NULL
);
CREATE INDEX "department_access_counts_cell_idx" ON "department_access_counts" ("department_id", "policy_id");

-- Access changes in one organisation are serialised: the second transaction
-- waits, then computes from a snapshot that sees the first one's commit, so
-- two concurrent changes to one member can never leave a stale row behind.
CREATE FUNCTION tenure_lock_access_of_tenants(tenant_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t bigint;
BEGIN
  FOR t IN SELECT DISTINCT x FROM unnest(tenant_ids) x WHERE x IS NOT NULL ORDER BY x LOOP
    PERFORM pg_advisory_xact_lock(1212, (t % 2147483647)::int);
  END LOOP;
END $$;

CREATE FUNCTION tenure_lock_access_of_members(ids bigint[]) RETURNS void LANGUAGE sql AS $$
  SELECT tenure_lock_access_of_tenants(ARRAY(SELECT DISTINCT tenant_id FROM users WHERE id = ANY(ids)))
$$;

-- Recomputes the members' effective access from every path and writes only
-- the difference. With `roles`, `apps` and `policies` it recomputes only those
-- items (a grant on a department, a group, a moved department: only what the
-- change can touch), which keeps a 50,000-member change to seconds.
CREATE FUNCTION tenure_refresh_member_access(ids bigint[], roles bigint[] DEFAULT NULL, apps bigint[] DEFAULT NULL, policies bigint[] DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE active bigint[];
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
  PERFORM tenure_lock_access_of_members(ids);
  -- Who can sign in first (primary-key lookups), so the paths are read for them only.
  active := ARRAY(SELECT id FROM users WHERE id = ANY(ids) AND state = 'active');
  CREATE TEMP TABLE IF NOT EXISTS tenure_wanted_access (user_id bigint, kind smallint, item_id bigint) ON COMMIT DROP;
  CREATE TEMP TABLE IF NOT EXISTS tenure_held_access (user_id bigint, kind smallint, item_id bigint) ON COMMIT DROP;
  TRUNCATE tenure_wanted_access, tenure_held_access;
  IF roles IS NULL THEN
    INSERT INTO tenure_wanted_access SELECT DISTINCT p.user_id, p.kind, p.item_id FROM member_access_paths p WHERE p.user_id = ANY(active);
    INSERT INTO tenure_held_access SELECT m.user_id, m.kind, m.item_id FROM member_access m WHERE m.user_id = ANY(ids);
  ELSE
    INSERT INTO tenure_wanted_access SELECT DISTINCT p.user_id, p.kind, p.item_id FROM member_access_paths p
    WHERE p.user_id = ANY(active)
      AND ((p.kind = 1 AND p.item_id = ANY(roles)) OR (p.kind = 2 AND p.item_id = ANY(apps)) OR (p.kind = 3 AND p.item_id = ANY(policies)));
    INSERT INTO tenure_held_access SELECT m.user_id, m.kind, m.item_id FROM member_access m
    WHERE m.user_id = ANY(ids)
      AND ((m.kind = 1 AND m.item_id = ANY(roles)) OR (m.kind = 2 AND m.item_id = ANY(apps)) OR (m.kind = 3 AND m.item_id = ANY(policies)));
  END IF;
  ANALYZE tenure_wanted_access;
  ANALYZE tenure_held_access;
  -- The preview of a change that refreshes once (a department move, a grant to
  -- a department or group) stops here: the difference it would write is
  -- recorded, not written, and the transaction is rolled back anyway.
  IF current_setting('tenure.access_dry_run', true) = 'on' THEN
    INSERT INTO tenure_access_changes (user_id, kind, item_id, change)
    SELECT user_id, kind, item_id, -1 FROM (SELECT user_id, kind, item_id FROM tenure_held_access EXCEPT SELECT user_id, kind, item_id FROM tenure_wanted_access) gone
    UNION ALL
    SELECT user_id, kind, item_id, 1 FROM (SELECT user_id, kind, item_id FROM tenure_wanted_access EXCEPT SELECT user_id, kind, item_id FROM tenure_held_access) came;
    RETURN;
  END IF;
  -- "m.user_id = ANY(ids)" keeps the delete on the members' own index range:
  -- without it the planner may read all of member_access to find the rows.
  DELETE FROM member_access m USING (
    SELECT user_id, kind, item_id FROM tenure_held_access EXCEPT SELECT user_id, kind, item_id FROM tenure_wanted_access
  ) gone
  WHERE m.user_id = ANY(ids) AND m.user_id = gone.user_id AND m.kind = gone.kind AND m.item_id = gone.item_id;
  INSERT INTO member_access (user_id, kind, item_id)
  SELECT * FROM (SELECT user_id, kind, item_id FROM tenure_wanted_access EXCEPT SELECT user_id, kind, item_id FROM tenure_held_access) x
  ORDER BY 1, 2, 3
  ON CONFLICT DO NOTHING;
END $$;

-- Changes to member_access move the heatmap's counts and, when a service asked
-- (server/access-changes/access-changes.ts), are recorded for its preview or audit event.
CREATE FUNCTION tenure_member_access_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO department_access_counts (department_id, policy_id, holders)
  SELECT dm.department_id, n.item_id, count(*) FROM new_access n
  JOIN department_members dm ON dm.user_id = n.user_id JOIN departments d ON d.id = dm.department_id
  WHERE n.kind = 3 GROUP BY dm.department_id, n.item_id;
  IF current_setting('tenure.record_access', true) = 'on' THEN
    INSERT INTO tenure_access_changes (user_id, kind, item_id, change) SELECT user_id, kind, item_id, 1 FROM new_access;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION tenure_member_access_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO department_access_counts (department_id, policy_id, holders)
  SELECT dm.department_id, o.item_id, -count(*) FROM old_access o
  JOIN department_members dm ON dm.user_id = o.user_id JOIN departments d ON d.id = dm.department_id
  WHERE o.kind = 3 GROUP BY dm.department_id, o.item_id;
  IF current_setting('tenure.record_access', true) = 'on' THEN
    INSERT INTO tenure_access_changes (user_id, kind, item_id, change) SELECT user_id, kind, item_id, -1 FROM old_access;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "member_access_added" AFTER INSERT ON "member_access"
  REFERENCING NEW TABLE AS new_access FOR EACH STATEMENT EXECUTE FUNCTION tenure_member_access_added();
CREATE TRIGGER "member_access_removed" AFTER DELETE ON "member_access"
  REFERENCING OLD TABLE AS old_access FOR EACH STATEMENT EXECUTE FUNCTION tenure_member_access_removed();

-- ---- What changes whose access ----

-- A member's own grants (roles, groups, applications, policies).
CREATE FUNCTION tenure_member_grants_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM tenure_refresh_member_access(ARRAY(SELECT DISTINCT user_id FROM new_grants));
  ELSE
    PERFORM tenure_refresh_member_access(ARRAY(SELECT DISTINCT user_id FROM old_grants));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "member_roles_access_added" AFTER INSERT ON "member_roles"
  REFERENCING NEW TABLE AS new_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_member_grants_changed();
CREATE TRIGGER "member_roles_access_removed" AFTER DELETE ON "member_roles"
  REFERENCING OLD TABLE AS old_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_member_grants_changed();
CREATE TRIGGER "member_groups_access_added" AFTER INSERT ON "member_groups"
  REFERENCING NEW TABLE AS new_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_member_grants_changed();
CREATE TRIGGER "member_groups_access_removed" AFTER DELETE ON "member_groups"
  REFERENCING OLD TABLE AS old_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_member_grants_changed();
CREATE TRIGGER "member_applications_access_added" AFTER INSERT ON "member_applications"
  REFERENCING NEW TABLE AS new_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_member_grants_changed();
CREATE TRIGGER "member_applications_access_removed" AFTER DELETE ON "member_applications"
  REFERENCING OLD TABLE AS old_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_member_grants_changed();
CREATE TRIGGER "member_policies_access_added" AFTER INSERT ON "member_policies"
  REFERENCING NEW TABLE AS new_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_member_grants_changed();
CREATE TRIGGER "member_policies_access_removed" AFTER DELETE ON "member_policies"
  REFERENCING OLD TABLE AS old_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_member_grants_changed();

-- Department membership: first the heatmap's counts for the membership itself
-- (the member's access as it stands, and whether they can sign in), then the
-- member's access, whose own changes count in every department they are in.
CREATE FUNCTION tenure_memberships_access_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tenure_lock_access_of_members(ARRAY(SELECT DISTINCT user_id FROM new_memberships));
  INSERT INTO department_access_counts (department_id, policy_id, holders)
  SELECT n.department_id, ma.item_id, count(*) FROM new_memberships n
  JOIN member_access ma ON ma.user_id = n.user_id AND ma.kind = 3
  GROUP BY n.department_id, ma.item_id
  UNION ALL
  SELECT n.department_id, 0, count(*) FROM new_memberships n JOIN users u ON u.id = n.user_id AND u.state = 'active'
  GROUP BY n.department_id;
  PERFORM tenure_refresh_member_access(ARRAY(SELECT DISTINCT user_id FROM new_memberships));
  RETURN NULL;
END $$;

-- Departments going in the same statement (a cascade) are skipped: their deltas go with them.
CREATE FUNCTION tenure_memberships_access_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tenure_lock_access_of_members(ARRAY(SELECT DISTINCT user_id FROM old_memberships));
  INSERT INTO department_access_counts (department_id, policy_id, holders)
  SELECT o.department_id, ma.item_id, -count(*) FROM old_memberships o
  JOIN departments d ON d.id = o.department_id
  JOIN member_access ma ON ma.user_id = o.user_id AND ma.kind = 3
  GROUP BY o.department_id, ma.item_id
  UNION ALL
  SELECT o.department_id, 0, -count(*) FROM old_memberships o
  JOIN departments d ON d.id = o.department_id
  JOIN users u ON u.id = o.user_id AND u.state = 'active'
  GROUP BY o.department_id;
  PERFORM tenure_refresh_member_access(ARRAY(SELECT DISTINCT user_id FROM old_memberships));
  RETURN NULL;
END $$;

CREATE TRIGGER "department_members_access_added" AFTER INSERT ON "department_members"
  REFERENCING NEW TABLE AS new_memberships FOR EACH STATEMENT EXECUTE FUNCTION tenure_memberships_access_added();
CREATE TRIGGER "department_members_access_removed" AFTER DELETE ON "department_members"
  REFERENCING OLD TABLE AS old_memberships FOR EACH STATEMENT EXECUTE FUNCTION tenure_memberships_access_removed();
-- Only is_head is updated today; a membership moved by an UPDATE counts as removed, then added.
CREATE TRIGGER "department_members_access_moved_out" AFTER UPDATE ON "department_members"
  REFERENCING OLD TABLE AS old_memberships FOR EACH STATEMENT EXECUTE FUNCTION tenure_memberships_access_removed();
CREATE TRIGGER "department_members_access_moved_in" AFTER UPDATE ON "department_members"
  REFERENCING NEW TABLE AS new_memberships FOR EACH STATEMENT EXECUTE FUNCTION tenure_memberships_access_added();

-- Grants to a group reach its members.
CREATE FUNCTION tenure_group_grants_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE granted_roles bigint[]; granted_apps bigint[]; groups bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT group_id), array_agg(DISTINCT (to_jsonb(g) ->> 'role_id')::bigint), array_agg(DISTINCT (to_jsonb(g) ->> 'application_id')::bigint)
      INTO groups, granted_roles, granted_apps FROM new_grants g;
  ELSE
    SELECT array_agg(DISTINCT group_id), array_agg(DISTINCT (to_jsonb(g) ->> 'role_id')::bigint), array_agg(DISTINCT (to_jsonb(g) ->> 'application_id')::bigint)
      INTO groups, granted_roles, granted_apps FROM old_grants g;
  END IF;
  PERFORM tenure_refresh_granted(ARRAY(SELECT DISTINCT mg.user_id FROM member_groups mg WHERE mg.group_id = ANY(groups)),
    array_remove(granted_roles, NULL), array_remove(granted_apps, NULL));
  RETURN NULL;
END $$;

CREATE TRIGGER "group_roles_access_added" AFTER INSERT ON "group_roles"
  REFERENCING NEW TABLE AS new_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_group_grants_changed();
CREATE TRIGGER "group_roles_access_removed" AFTER DELETE ON "group_roles"
  REFERENCING OLD TABLE AS old_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_group_grants_changed();
CREATE TRIGGER "group_applications_access_added" AFTER INSERT ON "group_applications"
  REFERENCING NEW TABLE AS new_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_group_grants_changed();
CREATE TRIGGER "group_applications_access_removed" AFTER DELETE ON "group_applications"
  REFERENCING OLD TABLE AS old_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_group_grants_changed();

-- Grants to a department reach its members, and with subtree its descendants' members.
CREATE FUNCTION tenure_members_under(department_ids bigint[], whole_subtree boolean[]) RETURNS bigint[] LANGUAGE sql STABLE AS $$
  SELECT ARRAY(
    SELECT DISTINCT dm.user_id
    FROM unnest(department_ids, whole_subtree) AS g(department_id, subtree)
    JOIN department_closure c ON c.ancestor_id = g.department_id AND (c.depth = 0 OR g.subtree)
    JOIN department_members dm ON dm.department_id = c.descendant_id)
$$;

-- Only the granted roles (with their policies) and applications are recomputed.
CREATE FUNCTION tenure_refresh_granted(reached bigint[], granted_roles bigint[], granted_apps bigint[]) RETURNS void LANGUAGE sql AS $$
  SELECT tenure_refresh_member_access(reached, coalesce(granted_roles, '{}'), coalesce(granted_apps, '{}'),
    ARRAY(SELECT DISTINCT policy_id FROM role_policies WHERE role_id = ANY(coalesce(granted_roles, '{}'))))
$$;

CREATE FUNCTION tenure_department_grants_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
    SELECT tenure_members_under(array_agg(department_id), array_agg(subtree)) INTO reached
    FROM (SELECT department_id, subtree FROM new_grants UNION ALL SELECT department_id, subtree FROM old_grants) g;
    SELECT array_agg(DISTINCT (to_jsonb(g) ->> 'role_id')::bigint), array_agg(DISTINCT (to_jsonb(g) ->> 'application_id')::bigint)
      INTO granted_roles, granted_apps FROM (SELECT * FROM new_grants UNION ALL SELECT * FROM old_grants) g;
  END IF;
  PERFORM tenure_refresh_granted(reached, array_remove(granted_roles, NULL), array_remove(granted_apps, NULL));
  RETURN NULL;
END $$;

CREATE TRIGGER "department_roles_access_added" AFTER INSERT ON "department_roles"
  REFERENCING NEW TABLE AS new_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_department_grants_changed();
CREATE TRIGGER "department_roles_access_removed" AFTER DELETE ON "department_roles"
  REFERENCING OLD TABLE AS old_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_department_grants_changed();
CREATE TRIGGER "department_roles_access_updated" AFTER UPDATE ON "department_roles"
  REFERENCING OLD TABLE AS old_grants NEW TABLE AS new_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_department_grants_changed();
CREATE TRIGGER "department_applications_access_added" AFTER INSERT ON "department_applications"
  REFERENCING NEW TABLE AS new_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_department_grants_changed();
CREATE TRIGGER "department_applications_access_removed" AFTER DELETE ON "department_applications"
  REFERENCING OLD TABLE AS old_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_department_grants_changed();
CREATE TRIGGER "department_applications_access_updated" AFTER UPDATE ON "department_applications"
  REFERENCING OLD TABLE AS old_grants NEW TABLE AS new_grants FOR EACH STATEMENT EXECUTE FUNCTION tenure_department_grants_changed();

-- A role gaining a policy gives it to the role's holders; losing one takes it
-- from holders who have it by no other path.
CREATE FUNCTION tenure_role_policies_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tenure_lock_access_of_tenants(ARRAY(SELECT DISTINCT r.tenant_id FROM new_links n JOIN roles r ON r.id = n.role_id));
  INSERT INTO member_access (user_id, kind, item_id)
  SELECT DISTINCT h.user_id, 3::smallint, n.policy_id FROM new_links n
  JOIN member_access h ON h.kind = 1 AND h.item_id = n.role_id
  ORDER BY 1, 3
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION tenure_role_policies_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tenure_lock_access_of_tenants(ARRAY(SELECT DISTINCT p.tenant_id FROM old_links o JOIN policies p ON p.id = o.policy_id));
  DELETE FROM member_access m USING old_links o
  WHERE m.kind = 3 AND m.item_id = o.policy_id
    AND EXISTS (SELECT 1 FROM member_access h WHERE h.user_id = m.user_id AND h.kind = 1 AND h.item_id = o.role_id)
    AND NOT EXISTS (SELECT 1 FROM member_policies mp WHERE mp.user_id = m.user_id AND mp.policy_id = o.policy_id)
    AND NOT EXISTS (
      SELECT 1 FROM role_policies rp JOIN member_access h2 ON h2.user_id = m.user_id AND h2.kind = 1 AND h2.item_id = rp.role_id
      WHERE rp.policy_id = o.policy_id);
  RETURN NULL;
END $$;

CREATE TRIGGER "role_policies_access_added" AFTER INSERT ON "role_policies"
  REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION tenure_role_policies_added();
CREATE TRIGGER "role_policies_access_removed" AFTER DELETE ON "role_policies"
  REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION tenure_role_policies_removed();

-- The closure follows the tree; a moved department's members get the access of their new place.
CREATE FUNCTION tenure_department_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO department_closure (ancestor_id, descendant_id, depth)
  SELECT NEW.id, NEW.id, 0
  UNION ALL
  SELECT c.ancestor_id, NEW.id, c.depth + 1 FROM department_closure c WHERE c.descendant_id = NEW.parent_id;
  RETURN NULL;
END $$;

-- Only what the old and the new ancestors give their subtrees can change.
CREATE FUNCTION tenure_department_moved() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE above bigint[]; moved_roles bigint[]; moved_apps bigint[];
BEGIN
  PERFORM tenure_lock_access_of_tenants(ARRAY[NEW.tenant_id]);
  above := ARRAY(SELECT ancestor_id FROM department_closure WHERE descendant_id = NEW.id AND depth > 0);
  DELETE FROM department_closure c
  WHERE c.descendant_id IN (SELECT descendant_id FROM department_closure WHERE ancestor_id = NEW.id)
    AND c.ancestor_id NOT IN (SELECT descendant_id FROM department_closure WHERE ancestor_id = NEW.id);
  INSERT INTO department_closure (ancestor_id, descendant_id, depth)
  SELECT a.ancestor_id, s.descendant_id, a.depth + s.depth + 1
  FROM department_closure a JOIN department_closure s ON s.ancestor_id = NEW.id
  WHERE a.descendant_id = NEW.parent_id;
  above := above || ARRAY(SELECT ancestor_id FROM department_closure WHERE descendant_id = NEW.id AND depth > 0);
  moved_roles := ARRAY(SELECT DISTINCT role_id FROM department_roles WHERE subtree AND department_id = ANY(above));
  moved_apps := ARRAY(SELECT DISTINCT application_id FROM department_applications WHERE subtree AND department_id = ANY(above));
  PERFORM tenure_refresh_granted(tenure_members_under(ARRAY[NEW.id], ARRAY[true]), moved_roles, moved_apps);
  RETURN NULL;
END $$;

CREATE TRIGGER "departments_closure_added" AFTER INSERT ON "departments"
  FOR EACH ROW EXECUTE FUNCTION tenure_department_added();
CREATE TRIGGER "departments_closure_moved" AFTER UPDATE OF "parent_id" ON "departments"
  FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id) EXECUTE FUNCTION tenure_department_moved();

-- Whether a member can sign in decides whether they hold anything.
CREATE FUNCTION tenure_users_access_state_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE changed bigint[];
BEGIN
  changed := ARRAY(SELECT n.id FROM new_users n JOIN old_users o ON o.id = n.id WHERE (n.state = 'active') <> (o.state = 'active'));
  IF cardinality(changed) = 0 THEN RETURN NULL; END IF;
  PERFORM tenure_lock_access_of_members(changed);
  INSERT INTO department_access_counts (department_id, policy_id, holders)
  SELECT dm.department_id, 0, sum(CASE WHEN u.state = 'active' THEN 1 ELSE -1 END)
  FROM users u JOIN department_members dm ON dm.user_id = u.id
  WHERE u.id = ANY(changed)
  GROUP BY dm.department_id;
  PERFORM tenure_refresh_member_access(changed);
  RETURN NULL;
END $$;

CREATE TRIGGER "users_access_state_changed" AFTER UPDATE ON "users"
  REFERENCING OLD TABLE AS old_users NEW TABLE AS new_users FOR EACH STATEMENT EXECUTE FUNCTION tenure_users_access_state_changed();

-- An active member's row deleted outright: their memberships go in the cascade, uncounted (users row gone).
CREATE FUNCTION tenure_users_access_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.state = 'active' THEN
    INSERT INTO department_access_counts (department_id, policy_id, holders)
    SELECT dm.department_id, 0, -1 FROM department_members dm WHERE dm.user_id = OLD.id;
  END IF;
  RETURN OLD;
END $$;

CREATE TRIGGER "users_access_deleted" BEFORE DELETE ON "users" FOR EACH ROW EXECUTE FUNCTION tenure_users_access_deleted();

-- Folds each cell's deltas into one row; rows inserted meanwhile stay as they are.
CREATE FUNCTION tenure_compact_department_access_counts() RETURNS integer LANGUAGE sql AS $$
  WITH folded AS (
    DELETE FROM department_access_counts c
    WHERE (c.department_id, c.policy_id) IN (
      SELECT department_id, policy_id FROM department_access_counts GROUP BY department_id, policy_id HAVING count(*) > 1)
    RETURNING c.department_id, c.policy_id, c.holders
  ), inserted AS (
    INSERT INTO department_access_counts (department_id, policy_id, holders)
    SELECT f.department_id, f.policy_id, sum(f.holders) FROM folded f JOIN departments d ON d.id = f.department_id
    WHERE f.policy_id = 0 OR EXISTS (SELECT 1 FROM policies p WHERE p.id = f.policy_id)
    GROUP BY f.department_id, f.policy_id HAVING sum(f.holders) <> 0
    RETURNING 1
  )
  SELECT count(*)::integer FROM inserted
$$;

-- Today's members: their access and the counts, as the triggers would have kept them.
INSERT INTO department_access_counts (department_id, policy_id, holders)
SELECT dm.department_id, 0, count(*) FROM department_members dm JOIN users u ON u.id = dm.user_id AND u.state = 'active'
GROUP BY dm.department_id;
SELECT tenure_refresh_member_access(ARRAY(SELECT id FROM users ORDER BY id));
