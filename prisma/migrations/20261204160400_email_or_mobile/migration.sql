-- A member's account is created "by mobile or email" (specification:
-- member-lifecycle, Employee Onboarding): one of the two is enough. Every row
-- so far has an email (it was NOT NULL), so the new rule is validated at once.
ALTER TABLE "users" ALTER COLUMN "email" DROP NOT NULL;
ALTER TABLE "users" DROP CONSTRAINT "users_mobile_required";
ALTER TABLE "users" ADD CONSTRAINT "users_email_or_mobile" CHECK ("email" IS NOT NULL OR "mobile" IS NOT NULL);
