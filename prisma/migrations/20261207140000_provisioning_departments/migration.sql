-- Outbound SCIM (issue 15): what the enterprise extension says about a member
-- (department, manager) also changes when the department does, not only when
-- the member's own row does. Each trigger below enqueues, in one statement,
-- the (application, member) job of every provisioned member it touches, with
-- the same job keys as the other provisioning triggers; the job re-reads the
-- member and sends a PATCH only if what the peer sees changed.

-- The pairs of provisioned members whose main department is one of these
-- (found through department_members, whose key leads with the department).
CREATE FUNCTION tenure_provisioning_department_pairs(department_ids bigint[]) RETURNS bigint[][] LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(ARRAY[p.application_id, u.id]), '{}')
  FROM department_members m
  JOIN users u ON u.id = m.user_id AND u.main_department_id = m.department_id
  JOIN member_provisioning p ON p.user_id = u.id AND p.status IN ('provisioned', 'failed')
  JOIN application_scim_settings s ON s.application_id = p.application_id AND s.enabled
  WHERE m.department_id = ANY(department_ids)
$$;

-- A department renamed: its members' department attribute.
CREATE FUNCTION tenure_provisioning_department_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM application_scim_settings WHERE enabled) THEN RETURN NULL; END IF;
  PERFORM tenure_provisioning_enqueue(tenure_provisioning_department_pairs(ARRAY(
    SELECT n.id FROM new_departments n JOIN old_departments o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name)));
  RETURN NULL;
END $$;

CREATE TRIGGER "departments_provisioning_renamed" AFTER UPDATE ON "departments"
  REFERENCING OLD TABLE AS old_departments NEW TABLE AS new_departments FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_department_renamed();

-- A department's heads changed (set, unset, a head joined or left): its
-- members' manager, which is the head's account at the same application.
CREATE FUNCTION tenure_provisioning_heads_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE departments bigint[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM application_scim_settings WHERE enabled) THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    departments := ARRAY(SELECT DISTINCT department_id FROM new_members WHERE is_head);
  ELSIF TG_OP = 'DELETE' THEN
    departments := ARRAY(SELECT DISTINCT department_id FROM old_members WHERE is_head);
  ELSE
    departments := ARRAY(
      SELECT DISTINCT d FROM (
        SELECT n.department_id AS d FROM new_members n LEFT JOIN old_members o ON o.department_id = n.department_id AND o.user_id = n.user_id
        WHERE n.is_head AND o.is_head IS DISTINCT FROM true
        UNION
        SELECT o.department_id FROM old_members o LEFT JOIN new_members n ON n.department_id = o.department_id AND n.user_id = o.user_id
        WHERE o.is_head AND n.is_head IS DISTINCT FROM true) changed);
  END IF;
  IF cardinality(departments) = 0 THEN RETURN NULL; END IF;
  PERFORM tenure_provisioning_enqueue(tenure_provisioning_department_pairs(departments));
  RETURN NULL;
END $$;

CREATE TRIGGER "department_members_provisioning_heads_added" AFTER INSERT ON "department_members"
  REFERENCING NEW TABLE AS new_members FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_heads_changed();
CREATE TRIGGER "department_members_provisioning_heads_moved" AFTER UPDATE ON "department_members"
  REFERENCING OLD TABLE AS old_members NEW TABLE AS new_members FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_heads_changed();
CREATE TRIGGER "department_members_provisioning_heads_removed" AFTER DELETE ON "department_members"
  REFERENCING OLD TABLE AS old_members FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_heads_changed();

-- A head's own account at an application was created, linked or closed: the
-- manager of their department's members at that application (the manager's
-- value is the peer's id of the head's account). Only a change of whether the
-- head has a live account counts, not each retry's bookkeeping.
CREATE FUNCTION tenure_provisioning_head_account_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tenure_provisioning_enqueue(ARRAY(
    SELECT ARRAY[p.application_id, u.id]
    FROM (
      SELECT n.application_id, n.user_id FROM new_accounts n
      LEFT JOIN old_accounts o ON o.application_id = n.application_id AND o.user_id = n.user_id
      WHERE (n.status = 'provisioned', n.remote_id) IS DISTINCT FROM (o.status = 'provisioned', o.remote_id)
    ) changed
    JOIN department_members h ON h.user_id = changed.user_id AND h.is_head
    JOIN department_members m ON m.department_id = h.department_id AND m.user_id <> changed.user_id
    JOIN users u ON u.id = m.user_id AND u.main_department_id = h.department_id
    JOIN member_provisioning p ON p.user_id = u.id AND p.application_id = changed.application_id AND p.status IN ('provisioned', 'failed')
    JOIN application_scim_settings s ON s.application_id = p.application_id AND s.enabled));
  RETURN NULL;
END $$;

-- Two functions over one body: INSERT has no old table to reference.
CREATE FUNCTION tenure_provisioning_head_account_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tenure_provisioning_enqueue(ARRAY(
    SELECT ARRAY[p.application_id, u.id]
    FROM new_accounts n
    JOIN department_members h ON h.user_id = n.user_id AND h.is_head
    JOIN department_members m ON m.department_id = h.department_id AND m.user_id <> n.user_id
    JOIN users u ON u.id = m.user_id AND u.main_department_id = h.department_id
    JOIN member_provisioning p ON p.user_id = u.id AND p.application_id = n.application_id AND p.status IN ('provisioned', 'failed')
    JOIN application_scim_settings s ON s.application_id = p.application_id AND s.enabled
    WHERE n.status = 'provisioned' AND n.remote_id IS NOT NULL));
  RETURN NULL;
END $$;

CREATE TRIGGER "member_provisioning_head_account_changed" AFTER UPDATE ON "member_provisioning"
  REFERENCING OLD TABLE AS old_accounts NEW TABLE AS new_accounts FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_head_account_changed();
CREATE TRIGGER "member_provisioning_head_account_added" AFTER INSERT ON "member_provisioning"
  REFERENCING NEW TABLE AS new_accounts FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_head_account_added();
