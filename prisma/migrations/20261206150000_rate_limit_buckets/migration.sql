-- Rate limits other than sign-in's (which count the login history): one token
-- bucket per key ("directory-probe:<organisation>", later API tokens and
-- outbound calls), taken in one statement so every process agrees and a
-- parallel burst gets exactly the bucket's capacity.
CREATE TABLE "rate_limit_buckets" (
    "key" VARCHAR(200) PRIMARY KEY,
    "tokens" DOUBLE PRECISION NOT NULL,
    "refilled_at" TIMESTAMPTZ(3) NOT NULL
);

-- Directory probes now take from a bucket (server/directories/directory-probe-limit.ts).
DROP TABLE "directory_probes";
