-- Issue 16: listing 1,000,000 members by pages without OFFSET's cost. Each
-- served page of GET /Users remembers, per token and query, the id its last
-- member had and the startIndex that follows; the request for that
-- startIndex continues by keyset (id > last_id). Any other startIndex falls
-- back to OFFSET. Rows older than an hour are pruned as new ones are written.
CREATE TABLE "scim_list_positions" (
    "api_token_id" BIGINT NOT NULL REFERENCES "api_tokens"("id") ON DELETE CASCADE,
    "query_key" VARCHAR(64) NOT NULL,
    "next_index" INTEGER NOT NULL,
    "last_id" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY ("api_token_id", "query_key", "next_index")
);
