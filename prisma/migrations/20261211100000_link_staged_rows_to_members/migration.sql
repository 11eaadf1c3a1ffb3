-- The dry run now links each staged row to the member its username matched (member_import_rows.member_id), and
-- the apply probes only those members, by id. Rows staged before, of imports not yet applied, get their link here;
-- without it their apply would take every existing member's row for a new member.
WITH links AS (
  SELECT r.import_id, r.row_number, found.id
  FROM member_import_rows r
  JOIN member_imports i ON i.id = r.import_id
  CROSS JOIN LATERAL (
    SELECT u.id FROM users u WHERE u.tenant_id = i.tenant_id AND u.username = (r.values->>'username')::citext LIMIT 1
  ) found
  WHERE i.status IN ('validated', 'queued', 'applying') AND r.outcome IS NULL AND r.values IS NOT NULL AND r.member_id IS NULL
)
UPDATE member_import_rows r SET member_id = links.id
FROM links
WHERE r.import_id = links.import_id AND r.row_number = links.row_number;
