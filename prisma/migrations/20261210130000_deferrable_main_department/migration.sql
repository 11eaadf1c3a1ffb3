-- A bulk write creates members with their main department in the INSERT and their membership right after, in
-- the same transaction: the check of the key waits for the membership (SET CONSTRAINTS … DEFERRED there, and
-- IMMEDIATE again once the memberships are in). Everywhere else it is checked at once, as before.
ALTER TABLE "users" ALTER CONSTRAINT "users_main_department_fkey" DEFERRABLE INITIALLY IMMEDIATE;
