-- A mail that carries a secret link (a password reset, an invitation) keeps
-- the link out of its body: the body holds a placeholder, the link is kept
-- sealed (AES-256-GCM, a key derived from NEXTAUTH_SECRET) until delivery,
-- which puts it into the mail it sends and then wipes it. Admins reading the
-- outbox see the placeholder; a delivered mail holds no live secret.
ALTER TABLE "outbox_mails" ADD COLUMN "sealed_link" TEXT;

-- Bodies already stored with a live reset or invitation link: cut the link out.
UPDATE "outbox_mails"
SET "body_text" = regexp_replace("body_text", 'https?://\S+/(reset-password|invite)/[A-Za-z0-9_-]{43}', '[link removed]', 'g')
WHERE "kind" IN ('password_reset', 'invitation');

-- "logged": delivered into the worker's log (MAIL_TO_LOG, a trial without SMTP).
ALTER TABLE "outbox_mails" DROP CONSTRAINT "outbox_mails_status_check";
ALTER TABLE "outbox_mails" ADD CONSTRAINT "outbox_mails_status_check" CHECK ("status" IN ('held', 'queued', 'sent', 'logged', 'failed'));
