-- Department heads are listed with every department in the tree: find them
-- without reading all of a department's memberships (a large department has
-- thousands of members and a few heads).
CREATE INDEX "department_members_heads_idx" ON "department_members" ("department_id") WHERE "is_head";
