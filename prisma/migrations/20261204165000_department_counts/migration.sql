-- The department tree's member counts, kept by triggers so that showing the
-- tree never scans every membership (at a million members it took ~1 s).
-- "Listed" is the member list's own rule (server/members/member-filters.ts,
-- LISTED_MEMBER_SQL): not deleted and not archived.

CREATE FUNCTION tenure_is_listed(deleted_at timestamptz, state text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT deleted_at IS NULL AND state <> 'archived' $$;

-- Listed members directly in each department.
CREATE TABLE "department_member_counts" (
  "department_id" BIGINT PRIMARY KEY REFERENCES "departments"("id") ON DELETE CASCADE,
  "listed_members" INTEGER NOT NULL DEFAULT 0
);

-- Members in more than one department (few): a subtree holding two of their
-- departments counts them once, as the list does.
CREATE TABLE "multi_department_members" (
  "user_id" BIGINT PRIMARY KEY REFERENCES "users"("id") ON DELETE CASCADE,
  "tenant_id" BIGINT NOT NULL
);
CREATE INDEX "multi_department_members_tenant_idx" ON "multi_department_members" ("tenant_id");

-- Memberships added: +1 per listed member, and members now in two or more departments noted.
CREATE FUNCTION tenure_memberships_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO department_member_counts (department_id, listed_members)
  SELECT n.department_id, count(*) FROM new_memberships n JOIN users u ON u.id = n.user_id
  WHERE tenure_is_listed(u.deleted_at, u.state) GROUP BY n.department_id
  ON CONFLICT (department_id) DO UPDATE SET listed_members = department_member_counts.listed_members + EXCLUDED.listed_members;
  INSERT INTO multi_department_members (user_id, tenant_id)
  SELECT dm.user_id, min(u.tenant_id) FROM department_members dm JOIN users u ON u.id = dm.user_id
  WHERE dm.user_id IN (SELECT user_id FROM new_memberships) GROUP BY dm.user_id HAVING count(*) >= 2
  ON CONFLICT (user_id) DO NOTHING;
  RETURN NULL;
END $$;

-- Memberships removed: -1 per listed member (an UPDATE: the department may be going
-- with them), and members left in fewer than two departments no longer noted.
-- A membership removed with its member's row is not counted here (the row is
-- gone): users_listed_deleted took a listed member's memberships off before.
CREATE FUNCTION tenure_memberships_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE department_member_counts c SET listed_members = c.listed_members - removed.n
  FROM (
    SELECT o.department_id, count(*) AS n FROM old_memberships o JOIN users u ON u.id = o.user_id
    WHERE tenure_is_listed(u.deleted_at, u.state) GROUP BY o.department_id
  ) removed
  WHERE c.department_id = removed.department_id;
  DELETE FROM multi_department_members m
  WHERE m.user_id IN (SELECT user_id FROM old_memberships)
    AND (SELECT count(*) FROM department_members dm WHERE dm.user_id = m.user_id) < 2;
  RETURN NULL;
END $$;

CREATE TRIGGER "department_members_added" AFTER INSERT ON "department_members"
  REFERENCING NEW TABLE AS new_memberships FOR EACH STATEMENT EXECUTE FUNCTION tenure_memberships_added();
CREATE TRIGGER "department_members_removed" AFTER DELETE ON "department_members"
  REFERENCING OLD TABLE AS old_memberships FOR EACH STATEMENT EXECUTE FUNCTION tenure_memberships_removed();
-- Only is_head is updated today; a membership moved by an UPDATE counts as removed, then added.
CREATE TRIGGER "department_members_moved_out" AFTER UPDATE ON "department_members"
  REFERENCING OLD TABLE AS old_memberships FOR EACH STATEMENT EXECUTE FUNCTION tenure_memberships_removed();
CREATE TRIGGER "department_members_moved_in" AFTER UPDATE ON "department_members"
  REFERENCING NEW TABLE AS new_memberships FOR EACH STATEMENT EXECUTE FUNCTION tenure_memberships_added();

-- A member entering or leaving the list (delete, restore, archive, unarchive) moves every department they are in.
CREATE FUNCTION tenure_users_listed_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO department_member_counts (department_id, listed_members)
  SELECT dm.department_id, sum(CASE WHEN tenure_is_listed(n.deleted_at, n.state) THEN 1 ELSE -1 END)
  FROM new_users n
  JOIN old_users o ON o.id = n.id
  JOIN department_members dm ON dm.user_id = n.id
  WHERE tenure_is_listed(n.deleted_at, n.state) <> tenure_is_listed(o.deleted_at, o.state)
  GROUP BY dm.department_id
  ON CONFLICT (department_id) DO UPDATE SET listed_members = department_member_counts.listed_members + EXCLUDED.listed_members;
  RETURN NULL;
END $$;

CREATE TRIGGER "users_listed_changed" AFTER UPDATE ON "users"
  REFERENCING OLD TABLE AS old_users NEW TABLE AS new_users FOR EACH STATEMENT EXECUTE FUNCTION tenure_users_listed_changed();

-- A listed member's row deleted outright (not through the recycle bin, where
-- they are already off the list): their memberships still exist, and are taken off now.
CREATE FUNCTION tenure_users_listed_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF tenure_is_listed(OLD.deleted_at, OLD.state) THEN
    UPDATE department_member_counts c SET listed_members = c.listed_members - 1
    FROM department_members dm WHERE dm.user_id = OLD.id AND c.department_id = dm.department_id;
  END IF;
  RETURN OLD;
END $$;

CREATE TRIGGER "users_listed_deleted" BEFORE DELETE ON "users" FOR EACH ROW EXECUTE FUNCTION tenure_users_listed_deleted();

-- The counts as they stand.
INSERT INTO department_member_counts (department_id, listed_members)
SELECT d.id, count(u.id) FROM departments d
LEFT JOIN department_members dm ON dm.department_id = d.id
LEFT JOIN users u ON u.id = dm.user_id AND tenure_is_listed(u.deleted_at, u.state)
GROUP BY d.id;

INSERT INTO multi_department_members (user_id, tenant_id)
SELECT dm.user_id, min(u.tenant_id) FROM department_members dm JOIN users u ON u.id = dm.user_id
GROUP BY dm.user_id HAVING count(*) >= 2;
