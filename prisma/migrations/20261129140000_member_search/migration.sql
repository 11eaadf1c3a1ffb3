-- Member list search and sorting at a million members per tenant:
-- prefix search on names, usernames and emails through btree indexes,
-- fragment ("fuzzy") search through one trigram index over the searchable
-- text, and keyset pagination for each sort order.
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
CREATE INDEX "users_tenant_full_name_prefix_idx" ON "users" ("tenant_id", lower("full_name") text_pattern_ops);
CREATE INDEX "users_tenant_username_prefix_idx" ON "users" ("tenant_id", lower("username"::text) text_pattern_ops);
CREATE INDEX "users_tenant_email_prefix_idx" ON "users" ("tenant_id", lower("email"::text) text_pattern_ops);
CREATE INDEX "users_tenant_mobile_prefix_idx" ON "users" ("tenant_id", "mobile" text_pattern_ops);

-- Keyset orders: name, creation, last online.
CREATE INDEX "users_tenant_name_order_idx" ON "users" ("tenant_id", lower("full_name"), "id");
CREATE INDEX "users_tenant_created_order_idx" ON "users" ("tenant_id", "created_at", "id");
-- Never-online members sort first (ascending): the same coalesce is in the query.
CREATE INDEX "users_tenant_online_order_idx" ON "users" ("tenant_id", coalesce("online_at", '-infinity'::timestamptz), "id");
