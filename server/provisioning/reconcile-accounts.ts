import type { TDatabase } from "@/server/db/client";
import { loadScimSettings } from "@/server/provisioning/scim-endpoint";
import { listUsersPage, ScimError } from "@/server/provisioning/scim-client";

// Reconciliation: read every account the application has (paged, one page in
// memory at a time), compare with who should have one, and fix or report:
// - unmanaged: an account Tenure did not make, of nobody in Tenure or of a member who
//   should not have one (reported: closing accounts Tenure never managed is the admin's call);
// - linked: an account without Tenure's externalId whose userName is a member who
//   should have one (linked, then updated by the member's job);
// - reenabled: an account carrying Tenure's externalId, active at the peer while the
//   member should have none (closed again);
// - missing: a member who should have an account and has none there (created: the
//   backfill of a first connection).
// A dry run writes only the report. The first connection's dry run is what an
// owner approves before accounts follow Tenure.

export const RECONCILE_PAGE_SIZE = 100;
/** A peer that keeps answering pages past its total is stopped here (10 million accounts). */
const MAX_PAGES = 100_000;

type TRemote = { id: string; externalId: string | null; userName: string | null; active: boolean };

function remoteOf(resource: Record<string, unknown>): TRemote | null {
  const id = typeof resource.id === "string" ? resource.id.slice(0, 200) : null;
  if (!id) return null;
  return {
    id,
    externalId: typeof resource.externalId === "string" && /^\d{1,19}$/.test(resource.externalId) ? resource.externalId : null,
    userName: typeof resource.userName === "string" ? resource.userName.slice(0, 300) : null,
    active: resource.active !== false,
  };
}

export async function runReconciliation(db: TDatabase, reconciliationId: bigint): Promise<void> {
  const run = await db.provisioningReconciliation.findUnique({ where: { id: reconciliationId } });
  if (!run || run.status === "completed" || run.status === "failed") return;
  const settings = await loadScimSettings(db, run.applicationId);
  if (!settings) {
    await db.provisioningReconciliation.update({ where: { id: run.id }, data: { status: "failed", error: "The application is no longer connected", finishedAt: new Date() } });
    return;
  }
  // Fixing follows the application's settings, so only an approved connection fixes; before that every run is a dry run.
  const dryRun = run.dryRun || !settings.enabled;
  await db.provisioningReconciliation.update({ where: { id: run.id }, data: { status: "running", dryRun, accountsRead: 0 } });
  await db.provisioningReconciliationSeen.deleteMany({ where: { reconciliationId: run.id } });
  await db.provisioningReconciliationItem.deleteMany({ where: { reconciliationId: run.id } });
  try {
    let startIndex = 1;
    let read = 0;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const { resources, totalResults } = await listUsersPage(settings.endpoint, startIndex, RECONCILE_PAGE_SIZE);
      const remotes = resources.map(remoteOf).filter((remote): remote is TRemote => remote !== null);
      await comparePage(db, run.id, settings.tenantId, run.applicationId, remotes, dryRun);
      read += resources.length;
      await db.provisioningReconciliation.update({ where: { id: run.id }, data: { accountsRead: read } });
      startIndex += resources.length;
      if (resources.length === 0 || startIndex > totalResults) break;
    }
    await reportMissing(db, run.id, settings.tenantId, run.applicationId, dryRun);
    const findings = await db.provisioningReconciliationItem.groupBy({ by: ["finding"], where: { reconciliationId: run.id }, _count: { _all: true } });
    await db.$transaction([
      db.provisioningReconciliationSeen.deleteMany({ where: { reconciliationId: run.id } }),
      db.provisioningReconciliation.update({
        where: { id: run.id },
        data: { status: "completed", finishedAt: new Date(), findings: Object.fromEntries(findings.map((group) => [group.finding, group._count._all])) },
      }),
    ]);
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    await db.provisioningReconciliation.update({ where: { id: run.id }, data: { status: "failed", error: error.message.slice(0, 300), finishedAt: new Date() } });
  }
}

/** One page against Tenure: a few set-based statements, whatever the page holds. */
async function comparePage(db: TDatabase, runId: bigint, tenantId: bigint, applicationId: bigint, remotes: TRemote[], dryRun: boolean): Promise<void> {
  if (remotes.length === 0) return;
  const action = dryRun ? "reported" : "queued";
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`CREATE TEMP TABLE IF NOT EXISTS tenure_reconcile_page (remote_id text, external_id bigint, user_name text, active boolean) ON COMMIT DROP`;
    await tx.$executeRaw`TRUNCATE tenure_reconcile_page`;
    await tx.$executeRaw`
      INSERT INTO tenure_reconcile_page
      SELECT * FROM unnest(${remotes.map((r) => r.id)}::text[], ${remotes.map((r) => r.externalId)}::bigint[], ${remotes.map((r) => r.userName)}::text[], ${remotes.map((r) => r.active)}::boolean[])`;
    // Who each account is: by externalId (a member of this organisation), else by userName.
    await tx.$executeRaw`
      CREATE TEMP TABLE IF NOT EXISTS tenure_reconcile_matched (remote_id text, user_id bigint, by_name boolean, active boolean, wanted boolean, user_name text) ON COMMIT DROP`;
    await tx.$executeRaw`TRUNCATE tenure_reconcile_matched`;
    await tx.$executeRaw`
      INSERT INTO tenure_reconcile_matched
      SELECT p.remote_id, u.id, (byid.id IS NULL), p.active,
             EXISTS (SELECT 1 FROM member_access ma WHERE ma.user_id = u.id AND ma.kind = 2 AND ma.item_id = ${applicationId})
               OR (u.state = 'locked' AND EXISTS (SELECT 1 FROM member_access_paths x WHERE x.user_id = u.id AND x.kind = 2 AND x.item_id = ${applicationId})),
             p.user_name
      FROM tenure_reconcile_page p
      LEFT JOIN users byid ON byid.id = p.external_id AND byid.tenant_id = ${tenantId}
      LEFT JOIN users byname ON byid.id IS NULL AND byname.tenant_id = ${tenantId} AND byname.username = p.user_name
      JOIN users u ON u.id = coalesce(byid.id, byname.id)`;
    await tx.$executeRaw`
      INSERT INTO provisioning_reconciliation_seen (reconciliation_id, user_id)
      SELECT DISTINCT ${runId}::bigint, user_id FROM tenure_reconcile_matched ON CONFLICT DO NOTHING`;
    // Unmanaged: nobody in Tenure.
    await tx.$executeRaw`
      INSERT INTO provisioning_reconciliation_items (reconciliation_id, finding, remote_id, user_name, action)
      SELECT ${runId}::bigint, 'unmanaged', p.remote_id, p.user_name, 'reported' FROM tenure_reconcile_page p
      WHERE NOT EXISTS (SELECT 1 FROM tenure_reconcile_matched m WHERE m.remote_id = p.remote_id AND (m.wanted OR NOT m.by_name))`;
    // Linked by userName: a member who should have an account, whose account lacks Tenure's externalId.
    await tx.$executeRaw`
      INSERT INTO provisioning_reconciliation_items (reconciliation_id, finding, user_id, remote_id, user_name, action)
      SELECT ${runId}::bigint, 'linked', m.user_id, m.remote_id, m.user_name, ${action}::text FROM tenure_reconcile_matched m
      WHERE m.by_name AND m.wanted
        AND NOT EXISTS (SELECT 1 FROM member_provisioning mp WHERE mp.application_id = ${applicationId} AND mp.user_id = m.user_id AND mp.remote_id = m.remote_id)`;
    // Re-enabled remotely: active at the peer while the member should have none.
    await tx.$executeRaw`
      INSERT INTO provisioning_reconciliation_items (reconciliation_id, finding, user_id, remote_id, user_name, action)
      SELECT ${runId}::bigint, 'reenabled', m.user_id, m.remote_id, m.user_name, ${action}::text FROM tenure_reconcile_matched m
      WHERE m.active AND NOT m.wanted AND NOT m.by_name`;
    if (dryRun) return;
    // Fixes: each pair's state says which account it is and that it must be brought in line; the member's job does the rest.
    await tx.$executeRaw`
      INSERT INTO member_provisioning (application_id, user_id, tenant_id, status, remote_id, last_sent_hash)
      SELECT DISTINCT ON (i.user_id) ${applicationId}::bigint, i.user_id, ${tenantId}::bigint, CASE WHEN i.finding = 'linked' THEN 'pending' ELSE 'provisioned' END, i.remote_id, NULL
      FROM provisioning_reconciliation_items i
      WHERE i.reconciliation_id = ${runId} AND i.finding IN ('linked', 'reenabled') AND i.remote_id IN (SELECT remote_id FROM tenure_reconcile_page)
      ORDER BY i.user_id, i.id
      ON CONFLICT (application_id, user_id) DO UPDATE SET status = excluded.status, remote_id = excluded.remote_id, last_sent_hash = NULL, updated_at = now()`;
    await tx.$executeRaw`
      SELECT tenure_provisioning_enqueue(ARRAY(
        SELECT ARRAY[${applicationId}::bigint, i.user_id] FROM provisioning_reconciliation_items i
        WHERE i.reconciliation_id = ${runId} AND i.finding IN ('linked', 'reenabled') AND i.remote_id IN (SELECT remote_id FROM tenure_reconcile_page)))::text`;
  });
}

/** Members who should have an account and were not found at the peer: the backfill. */
async function reportMissing(db: TDatabase, runId: bigint, tenantId: bigint, applicationId: bigint, dryRun: boolean): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO provisioning_reconciliation_items (reconciliation_id, finding, user_id, user_name, action)
      SELECT ${runId}::bigint, 'missing', u.id, u.username::text, ${dryRun ? "reported" : "queued"}::text
      FROM users u
      WHERE u.tenant_id = ${tenantId}
        AND (EXISTS (SELECT 1 FROM member_access ma WHERE ma.user_id = u.id AND ma.kind = 2 AND ma.item_id = ${applicationId})
             OR (u.state = 'locked' AND EXISTS (SELECT 1 FROM member_access_paths x WHERE x.user_id = u.id AND x.kind = 2 AND x.item_id = ${applicationId})))
        AND NOT EXISTS (SELECT 1 FROM provisioning_reconciliation_seen s WHERE s.reconciliation_id = ${runId} AND s.user_id = u.id)
      ORDER BY u.id`;
    if (dryRun) return;
    // The account is gone at the peer: forget the old id so the job creates (or finds) it again.
    await tx.$executeRaw`
      INSERT INTO member_provisioning (application_id, user_id, tenant_id, status)
      SELECT ${applicationId}::bigint, i.user_id, ${tenantId}::bigint, 'pending' FROM provisioning_reconciliation_items i
      WHERE i.reconciliation_id = ${runId} AND i.finding = 'missing'
      ON CONFLICT (application_id, user_id) DO UPDATE SET status = 'pending', remote_id = NULL, last_sent_hash = NULL, updated_at = now()`;
    await tx.$executeRaw`
      SELECT tenure_provisioning_enqueue(ARRAY(
        SELECT ARRAY[${applicationId}::bigint, i.user_id] FROM provisioning_reconciliation_items i
        WHERE i.reconciliation_id = ${runId} AND i.finding = 'missing'))::text`;
  });
}
