-- The department counts' triggers joined each statement's memberships to users with a plain join, which the
-- planner ran as a hash join over a sequential scan of the whole users table (its cost model prices 1,000 index
-- probes above one scan): a batch of 1,000 new memberships took 86 ms at 80,000 members, growing with the
-- organisation, so a first directory sync of 100,000 entries spent 14 s here. Each membership's member is now
-- looked up through users' primary key (a LATERAL lookup with LIMIT 1 cannot be turned into that join): 2 ms.

CREATE OR REPLACE FUNCTION tenure_memberships_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO department_member_counts (department_id, listed_members)
  SELECT n.department_id, count(*) FROM new_memberships n
  CROSS JOIN LATERAL (SELECT 1 FROM users u WHERE u.id = n.user_id AND tenure_is_listed(u.deleted_at, u.state) LIMIT 1) listed
  GROUP BY n.department_id;
  INSERT INTO multi_department_members (user_id, tenant_id)
  SELECT dm.user_id, min(u.tenant_id) FROM department_members dm JOIN users u ON u.id = dm.user_id
  WHERE dm.user_id IN (SELECT user_id FROM new_memberships) GROUP BY dm.user_id HAVING count(*) >= 2
  ON CONFLICT (user_id) DO NOTHING;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tenure_memberships_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO department_member_counts (department_id, listed_members)
  SELECT o.department_id, -count(*) FROM old_memberships o
  CROSS JOIN LATERAL (SELECT 1 FROM users u WHERE u.id = o.user_id AND tenure_is_listed(u.deleted_at, u.state) LIMIT 1) listed
  JOIN departments d ON d.id = o.department_id
  GROUP BY o.department_id;
  DELETE FROM multi_department_members m
  WHERE m.user_id IN (SELECT user_id FROM old_memberships)
    AND (SELECT count(*) FROM department_members dm WHERE dm.user_id = m.user_id) < 2;
  RETURN NULL;
END $$;

-- A sync's apply takes its entries in entry id order from a cursor: the index of pending entries is in that order,
-- so each batch reads its 1,000 entries instead of every pending entry of the run sorted again (50 ms a batch
-- halfway through 100,000, and more the larger the run).
DROP INDEX "directory_sync_entries_pending_idx";
CREATE INDEX "directory_sync_entries_pending_idx" ON "directory_sync_entries" ("run_id", "entry_id") WHERE "applied_at" IS NULL;
