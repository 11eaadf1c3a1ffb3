-- The session a successful sign-in opened, so that a member's own history can
-- tell the sign-in of the browser they are using (no "This wasn't me" there).
-- No foreign key: sessions are pruned, the history outlives them.
ALTER TABLE "login_attempts" ADD COLUMN "session_id" UUID;
