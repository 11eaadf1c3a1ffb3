-- Sign-in under attack (issue 10, items 4-6).
-- 'pending': a password (or code) check reserved by the attempt gate before hashing, turned into its
-- outcome afterwards; one a crashed process left behind stops counting after 30 s.
-- 'cleared': an admin cleared the member's sign-in throttle; older failures no longer count.
ALTER TABLE "login_attempts" DROP CONSTRAINT "login_attempts_result_check";
ALTER TABLE "login_attempts" ADD CONSTRAINT "login_attempts_result_check"
    CHECK ("result" IN ('success', 'failure', 'locked', 'rate_limited', 'blocked', 'pending', 'cleared'));
-- The attempt carried a valid device cookie of its member: familiar and unfamiliar attempts are throttled apart.
ALTER TABLE "login_attempts" ADD COLUMN "familiar" BOOLEAN NOT NULL DEFAULT false;
-- What the per-address rate limit counts by: the IPv4 address, or the IPv6 address's /64.
ALTER TABLE "login_attempts" ADD COLUMN "address_bucket" VARCHAR(45);
UPDATE "login_attempts" SET "address_bucket" = "ip_address" WHERE "ip_address" IS NOT NULL AND "ip_address" NOT LIKE '%:%';
DROP INDEX "login_attempts_ip_failures_idx";
CREATE INDEX "login_attempts_address_failures_idx" ON "login_attempts" ("address_bucket", "created_at")
    WHERE "result" IN ('failure', 'locked', 'pending');
