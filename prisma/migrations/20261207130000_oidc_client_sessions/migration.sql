-- An application's live sessions (server/application-members): the members
-- holding tokens of one client, in member id order, without reading every
-- row of the organisation's provider storage. Partial, like the other
-- extracted-column indexes: most rows (sessions, interactions) have no client
-- or no member.
CREATE INDEX "oidc_payloads_client_idx" ON "oidc_payloads" ("tenant_id", "client_id", "user_id") WHERE "client_id" IS NOT NULL AND "user_id" IS NOT NULL;
