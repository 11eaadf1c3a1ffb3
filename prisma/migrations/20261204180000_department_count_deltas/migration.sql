-- The tree's counts as insert-only deltas. One row per department, updated by
-- every transaction that changed its members, made two transactions touching
-- two departments in opposite orders deadlock (two admins transferring people
-- A→B and B→A). Inserts take no lock on other rows; a job folds each
-- department's deltas back into one row (tenure_compact_department_counts).

ALTER TABLE "department_member_counts" DROP CONSTRAINT "department_member_counts_pkey";
ALTER TABLE "department_member_counts" ADD COLUMN "id" BIGSERIAL PRIMARY KEY;
CREATE INDEX "department_member_counts_department_idx" ON "department_member_counts" ("department_id");

CREATE OR REPLACE FUNCTION tenure_memberships_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO department_member_counts (department_id, listed_members)
  SELECT n.department_id, count(*) FROM new_memberships n JOIN users u ON u.id = n.user_id
  WHERE tenure_is_listed(u.deleted_at, u.state) GROUP BY n.department_id;
  INSERT INTO multi_department_members (user_id, tenant_id)
  SELECT dm.user_id, min(u.tenant_id) FROM department_members dm JOIN users u ON u.id = dm.user_id
  WHERE dm.user_id IN (SELECT user_id FROM new_memberships) GROUP BY dm.user_id HAVING count(*) >= 2
  ON CONFLICT (user_id) DO NOTHING;
  RETURN NULL;
END $$;

-- Departments going in the same statement (a cascade) are skipped: their deltas go with them.
CREATE OR REPLACE FUNCTION tenure_memberships_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO department_member_counts (department_id, listed_members)
  SELECT o.department_id, -count(*) FROM old_memberships o
  JOIN users u ON u.id = o.user_id
  JOIN departments d ON d.id = o.department_id
  WHERE tenure_is_listed(u.deleted_at, u.state) GROUP BY o.department_id;
  DELETE FROM multi_department_members m
  WHERE m.user_id IN (SELECT user_id FROM old_memberships)
    AND (SELECT count(*) FROM department_members dm WHERE dm.user_id = m.user_id) < 2;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tenure_users_listed_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO department_member_counts (department_id, listed_members)
  SELECT dm.department_id, sum(CASE WHEN tenure_is_listed(n.deleted_at, n.state) THEN 1 ELSE -1 END)
  FROM new_users n
  JOIN old_users o ON o.id = n.id
  JOIN department_members dm ON dm.user_id = n.id
  WHERE tenure_is_listed(n.deleted_at, n.state) <> tenure_is_listed(o.deleted_at, o.state)
  GROUP BY dm.department_id;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tenure_users_listed_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF tenure_is_listed(OLD.deleted_at, OLD.state) THEN
    INSERT INTO department_member_counts (department_id, listed_members)
    SELECT dm.department_id, -1 FROM department_members dm WHERE dm.user_id = OLD.id;
  END IF;
  RETURN OLD;
END $$;

-- Folds each department's deltas into one row. Rows inserted meanwhile are not
-- in this statement's snapshot and stay as they are: nothing is counted twice or lost.
CREATE FUNCTION tenure_compact_department_counts() RETURNS integer LANGUAGE sql AS $$
  WITH folded AS (
    DELETE FROM department_member_counts c
    WHERE c.department_id IN (SELECT department_id FROM department_member_counts GROUP BY department_id HAVING count(*) > 1)
    RETURNING c.department_id, c.listed_members
  ), inserted AS (
    INSERT INTO department_member_counts (department_id, listed_members)
    SELECT f.department_id, sum(f.listed_members) FROM folded f JOIN departments d ON d.id = f.department_id GROUP BY f.department_id
    RETURNING 1
  )
  SELECT count(*)::integer FROM inserted
$$;
