-- Issue 16: a member a SCIM client DELETEd is gone for SCIM (RFC 7644 §3.6:
-- 404 on every operation, absent from lists and filters) even when the
-- organisation's DELETE setting keeps the Tenure member (disabled or
-- resigned). Cleared when the client POSTs the same userName again.
ALTER TABLE "scim_identities" ADD COLUMN "deprovisioned_at" TIMESTAMPTZ(3);
