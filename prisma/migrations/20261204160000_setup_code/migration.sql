-- The one-time code that proves first-run setup is done by whoever can read
-- the server log. One row at most; only a hash is kept. Wrong codes are
-- counted in a window so that guessing is throttled.
CREATE TABLE "setup_codes" (
    "id" SMALLINT NOT NULL DEFAULT 1,
    "code_hash" VARCHAR(64) NOT NULL,
    "failed_attempts" INTEGER NOT NULL DEFAULT 0,
    "failures_since" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "setup_codes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "setup_codes_single_row" CHECK ("id" = 1)
);
