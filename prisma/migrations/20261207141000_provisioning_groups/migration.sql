-- Outbound SCIM (issue 15): pushing Tenure's groups to an application, when
-- its settings say so (push_groups). A group is at the peer while at least
-- one of its members has an account there, with exactly those accounts as
-- members; deleted in Tenure or emptied of accounts, it is deleted there.
-- One job per (application, group), like the members' jobs: it converges the
-- peer's group to what Tenure holds now, and its queue runs one at a time.

-- No foreign key to groups: a deleted group's row names its remote group until the job has deleted it.
CREATE TABLE "provisioning_groups" (
  "application_id" BIGINT NOT NULL REFERENCES "applications"("id") ON DELETE CASCADE,
  "group_id"       BIGINT NOT NULL,
  "tenant_id"      BIGINT NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
  "remote_id"      VARCHAR(200),
  "last_error"     VARCHAR(300),
  "updated_at"     TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY ("application_id", "group_id")
);
CREATE INDEX "provisioning_groups_group_idx" ON "provisioning_groups" ("group_id");

CREATE FUNCTION tenure_provisioning_enqueue_groups(pairs bigint[][]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF pairs IS NULL OR cardinality(pairs) = 0 THEN RETURN; END IF;
  PERFORM graphile_worker.add_jobs(array_agg((
    'provisioning__sync_group',
    json_build_object('applicationId', p.app::text, 'groupId', p.grp::text),
    'scim-group:' || p.app || ':' || p.grp, NULL, NULL, 'scim-group:' || p.app || ':' || p.grp, NULL, NULL)::graphile_worker.job_spec))
  FROM (SELECT DISTINCT pairs[i][1] AS app, pairs[i][2] AS grp FROM generate_subscripts(pairs, 1) AS i) p;
END $$;

-- Someone joined or left a group: the group at each pushing application where
-- they have an account (joined), or where the group is already pushed (left).
CREATE FUNCTION tenure_provisioning_group_members_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM application_scim_settings WHERE enabled AND push_groups) THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM tenure_provisioning_enqueue_groups(ARRAY(
      SELECT ARRAY[p.application_id, n.group_id] FROM new_members n
      JOIN member_provisioning p ON p.user_id = n.user_id AND p.status = 'provisioned' AND p.remote_id IS NOT NULL
      JOIN application_scim_settings s ON s.application_id = p.application_id AND s.enabled AND s.push_groups));
  ELSE
    PERFORM tenure_provisioning_enqueue_groups(ARRAY(
      SELECT ARRAY[g.application_id, g.group_id] FROM (SELECT DISTINCT group_id FROM old_members) o
      JOIN provisioning_groups g ON g.group_id = o.group_id
      JOIN application_scim_settings s ON s.application_id = g.application_id AND s.enabled AND s.push_groups));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "member_groups_provisioning_added" AFTER INSERT ON "member_groups"
  REFERENCING NEW TABLE AS new_members FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_group_members_changed();
CREATE TRIGGER "member_groups_provisioning_removed" AFTER DELETE ON "member_groups"
  REFERENCING OLD TABLE AS old_members FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_group_members_changed();

-- A pushed group renamed (or deleted outright, members or not): its displayName, or its deletion.
CREATE FUNCTION tenure_provisioning_groups_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM application_scim_settings WHERE enabled AND push_groups) THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM tenure_provisioning_enqueue_groups(ARRAY(
      SELECT ARRAY[g.application_id, g.group_id] FROM new_groups n JOIN old_groups o ON o.id = n.id AND o.name IS DISTINCT FROM n.name
      JOIN provisioning_groups g ON g.group_id = n.id
      JOIN application_scim_settings s ON s.application_id = g.application_id AND s.enabled AND s.push_groups));
  ELSE
    PERFORM tenure_provisioning_enqueue_groups(ARRAY(
      SELECT ARRAY[g.application_id, g.group_id] FROM old_groups o
      JOIN provisioning_groups g ON g.group_id = o.id
      JOIN application_scim_settings s ON s.application_id = g.application_id AND s.enabled AND s.push_groups));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "groups_provisioning_renamed" AFTER UPDATE ON "groups"
  REFERENCING OLD TABLE AS old_groups NEW TABLE AS new_groups FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_groups_changed();
CREATE TRIGGER "groups_provisioning_deleted" AFTER DELETE ON "groups"
  REFERENCING OLD TABLE AS old_groups FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_groups_changed();

-- A member's account at an application opened or closed: their groups there
-- (a group's members at the peer are the accounts Tenure keeps open).
CREATE FUNCTION tenure_provisioning_member_groups_of(changed_pairs bigint[][]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(changed_pairs) = 0 THEN RETURN; END IF;
  PERFORM tenure_provisioning_enqueue_groups(ARRAY(
    SELECT DISTINCT ARRAY[c.app, mg.group_id]
    FROM (SELECT changed_pairs[i][1] AS app, changed_pairs[i][2] AS member FROM generate_subscripts(changed_pairs, 1) AS i) c
    JOIN application_scim_settings s ON s.application_id = c.app AND s.enabled AND s.push_groups
    JOIN member_groups mg ON mg.user_id = c.member));
END $$;

CREATE FUNCTION tenure_provisioning_account_groups_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM application_scim_settings WHERE enabled AND push_groups) THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM tenure_provisioning_member_groups_of(ARRAY(
      SELECT ARRAY[n.application_id, n.user_id] FROM new_accounts n WHERE n.status = 'provisioned' AND n.remote_id IS NOT NULL));
  ELSE
    PERFORM tenure_provisioning_member_groups_of(ARRAY(
      SELECT ARRAY[n.application_id, n.user_id] FROM new_accounts n
      JOIN old_accounts o ON o.application_id = n.application_id AND o.user_id = n.user_id
      WHERE (n.status = 'provisioned', n.remote_id) IS DISTINCT FROM (o.status = 'provisioned', o.remote_id)));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "member_provisioning_groups_added" AFTER INSERT ON "member_provisioning"
  REFERENCING NEW TABLE AS new_accounts FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_account_groups_changed();
CREATE TRIGGER "member_provisioning_groups_changed" AFTER UPDATE ON "member_provisioning"
  REFERENCING OLD TABLE AS old_accounts NEW TABLE AS new_accounts FOR EACH STATEMENT EXECUTE FUNCTION tenure_provisioning_account_groups_changed();
