-- Who created and who last changed a member stay ids of members, without a
-- foreign key. The keys cost every created member two lookups (a fifth of a
-- bulk import's INSERT), and their ON DELETE SET NULL scanned the whole users
-- table once per erased member and key (the columns have no index, and an
-- index would cost every insert more). Erasing members now nulls both columns
-- in one statement (server/lifecycle/hard-delete-members.ts).
ALTER TABLE "users" DROP CONSTRAINT "users_created_by_fkey";
ALTER TABLE "users" DROP CONSTRAINT "users_last_modified_by_fkey";
