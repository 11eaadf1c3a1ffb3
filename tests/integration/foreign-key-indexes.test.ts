import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";

// PostgreSQL runs a foreign key's ON DELETE action (or its check) once per deleted referenced row; with no index
// leading with the referencing columns, each run scans the whole referencing table. Erasing 10,000 members of a
// 1,000,000-member organisation so took hours. A new key gets such an index, or no key (an id that the deleting
// code clears set-based, as eraseMembers does for granted_by), or a reason below why the scan is affordable.

const ORGANISATION_DELETE = "deleting a whole organisation is rare, and may scan";
const ALLOWED_WITHOUT_INDEX: Record<string, string> = {
  "alert_deliveries(tenant_id) -> tenants": ORGANISATION_DELETE,
  "application_client_secrets(tenant_id) -> tenants": ORGANISATION_DELETE,
  "application_logout_deliveries(tenant_id) -> tenants": ORGANISATION_DELETE,
  "application_sign_ins(tenant_id) -> tenants": ORGANISATION_DELETE,
  "directory_sync_runs(tenant_id) -> tenants": ORGANISATION_DELETE,
  "invitations(tenant_id) -> tenants": ORGANISATION_DELETE,
  "lifecycle_receipts(tenant_id) -> tenants": ORGANISATION_DELETE,
  "login_attempts(tenant_id) -> tenants": ORGANISATION_DELETE,
  "member_provisioning(tenant_id) -> tenants": ORGANISATION_DELETE,
  "password_reset_tokens(tenant_id) -> tenants": ORGANISATION_DELETE,
  "provisioning_groups(tenant_id) -> tenants": ORGANISATION_DELETE,
  "provisioning_reconciliations(tenant_id) -> tenants": ORGANISATION_DELETE,
  "scim_group_identities(tenant_id) -> tenants": ORGANISATION_DELETE,
  "sign_in_challenges(tenant_id) -> tenants": ORGANISATION_DELETE,
  "webhook_deliveries(tenant_id) -> tenants": ORGANISATION_DELETE,
  "webhook_delivery_attempts(tenant_id) -> tenants": ORGANISATION_DELETE,
  "webhook_messages(tenant_id) -> tenants": ORGANISATION_DELETE,
  "departments(parent_id) -> departments": "an admin deletes one department at a time; departments number thousands, not millions",
  "directories(department_parent_id) -> departments": "a handful of directories per organisation",
};

/**
 * Foreign keys of the public schema that no valid index serves: one whose leading columns are the key's columns
 * (in any order; partial only on the key column being non-null, which the key's own lookup implies), or a unique
 * one on some of them (users' (main_department_id, id) is found by its primary key).
 */
async function unindexedForeignKeys(): Promise<string[]> {
  const rows = await db().$queryRaw<{ key: string }[]>`
    SELECT format('%s(%s) -> %s', c.conrelid::regclass, string_agg(a.attname, ', ' ORDER BY k.ordinality), c.confrelid::regclass) AS key
    FROM pg_constraint c
    JOIN pg_namespace n ON n.oid = c.connamespace AND n.nspname = 'public'
    CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ordinality)
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
    WHERE c.contype = 'f'
      AND NOT EXISTS (
        SELECT 1 FROM pg_index i
        CROSS JOIN LATERAL (SELECT (i.indkey::int2[])[0:cardinality(c.conkey) - 1] AS leading) l
        WHERE i.indrelid = c.conrelid AND i.indisvalid
          AND ((l.leading @> c.conkey AND l.leading <@ c.conkey
                AND (i.indpred IS NULL OR (cardinality(c.conkey) = 1
                  AND pg_get_expr(i.indpred, i.indrelid) = format('(%I IS NOT NULL)', (SELECT attname FROM pg_attribute WHERE attrelid = c.conrelid AND attnum = c.conkey[1])))))
            OR (i.indisunique AND i.indpred IS NULL AND i.indkey::int2[] <@ c.conkey)))
    GROUP BY c.oid, c.conrelid, c.confrelid
    ORDER BY 1`;
  return rows.map((row) => row.key);
}

describe("foreign keys", () => {
  it("each has an index leading with its columns, or a reason here to go without", async () => {
    const unindexed = await unindexedForeignKeys();
    expect(unindexed.filter((key) => !(key in ALLOWED_WITHOUT_INDEX))).toEqual([]);
  });

  it("allows only keys that still exist and still lack an index", async () => {
    const unindexed = new Set(await unindexedForeignKeys());
    expect(Object.keys(ALLOWED_WITHOUT_INDEX).filter((key) => !unindexed.has(key))).toEqual([]);
  });

  it("catches a new key without an index, and accepts it once indexed", async () => {
    await db().$executeRawUnsafe(`CREATE TABLE fk_probe (id bigint PRIMARY KEY, owner_id bigint REFERENCES users(id) ON DELETE SET NULL)`);
    try {
      expect(await unindexedForeignKeys()).toContain("fk_probe(owner_id) -> users");
      await db().$executeRawUnsafe(`CREATE INDEX fk_probe_owner_idx ON fk_probe (owner_id) WHERE owner_id IS NOT NULL`);
      expect(await unindexedForeignKeys()).not.toContain("fk_probe(owner_id) -> users");
      await db().$executeRawUnsafe(`DROP INDEX fk_probe_owner_idx`);
      await db().$executeRawUnsafe(`CREATE INDEX fk_probe_owner_idx ON fk_probe (owner_id) WHERE id > 0`);
      expect(await unindexedForeignKeys()).toContain("fk_probe(owner_id) -> users");
    } finally {
      await db().$executeRawUnsafe(`DROP TABLE fk_probe`);
    }
  });
});
