-- No query reads staged rows by member through this index: erasure finds a member's rows by their id OR by the
-- identifiers the file used (a scan of the organisation's staged rows either way), and everything else reads them
-- by import. Every applied row paid for it: its outcome's UPDATE had to add an index entry.
DROP INDEX IF EXISTS "member_import_rows_member_idx";
