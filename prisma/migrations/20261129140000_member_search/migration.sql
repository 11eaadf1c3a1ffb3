-- Member list search and sorting at a million members per tenant: one- and
-- two-letter queries seek the start of names in the name-order index, longer
-- ones (any fragment of name, username, email or mobile, or a near miss) use
-- one trigram index, and each sort order is a keyset over its own index.
CREATE EXTENSION IF NOT EXISTS "pg_trgm";
CREATE EXTENSION IF NOT EXISTS "btree_gin";

-- The one expression both the index and the query use (server/members/list-members.ts).
CREATE FUNCTION "tenure_member_search_text"("full_name" TEXT, "username" TEXT, "email" TEXT, "mobile" TEXT)
    RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN lower("full_name" || ' ' || "username" || ' ' || "email" || ' ' || coalesce("mobile", ''));

CREATE INDEX "users_search_trgm_idx" ON "users" USING gin (
    "tenant_id",
    "tenure_member_search_text"("full_name", "username"::text, "email"::text, "mobile") gin_trgm_ops
);
-- Keyset orders: name, creation, last online. Names order by code point
-- (COLLATE "C"): the same on every server, and a name prefix is then one
-- contiguous range of this index.
CREATE INDEX "users_tenant_name_order_idx" ON "users" ("tenant_id", (lower("full_name") COLLATE "C"), "id");
CREATE INDEX "users_tenant_created_order_idx" ON "users" ("tenant_id", "created_at", "id");
-- Never-online members sort first (ascending): the same coalesce is in the query.
CREATE INDEX "users_tenant_online_order_idx" ON "users" ("tenant_id", coalesce("online_at", '-infinity'::timestamptz), "id");
