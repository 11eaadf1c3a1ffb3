-- The hourly sweep marks members offline whose sessions all ended; it looks
-- only at members shown online, a small share of a large tenant.
CREATE INDEX "users_online_idx" ON "users" ("id") WHERE "online";
