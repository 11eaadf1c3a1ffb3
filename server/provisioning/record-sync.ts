import { Prisma } from "@/server/db/generated/client";
import { queryPrepared } from "@/server/db/prepared-statements";
import type { TLoadedScimSettings } from "@/server/provisioning/scim-endpoint";

// What a sync job records once the peer answered, each in one prepared statement
// (so atomic without a transaction, and one round trip per job of a bulk disable):
// the pair's state, the dead letter cleared, and for a close the line on the
// receipt of the action that ended the member's access.

/** The account exists at the peer with this id and what was sent (its hash). */
export async function recordProvisioned(settings: TLoadedScimSettings, memberId: bigint, remoteId: string, sentHash: string): Promise<void> {
  const { applicationId, tenantId } = settings;
  await queryPrepared(Prisma.sql`
    WITH cleared AS (DELETE FROM provisioning_dead_letters WHERE application_id = ${applicationId} AND user_id = ${memberId})
    INSERT INTO member_provisioning AS p (application_id, user_id, tenant_id, status, remote_id, last_sent_hash, last_error, deactivated_at, updated_at)
    VALUES (${applicationId}, ${memberId}, ${tenantId}, 'provisioned', ${remoteId}, ${sentHash}, NULL, NULL, ${new Date()})
    ON CONFLICT (application_id, user_id) DO UPDATE
      SET status = 'provisioned', remote_id = EXCLUDED.remote_id, last_sent_hash = EXCLUDED.last_sent_hash, last_error = NULL, deactivated_at = NULL,
          updated_at = EXCLUDED.updated_at`);
}

/**
 * The account was deactivated (keeping its id) or deleted at the peer: the state says so, and the receipt of the
 * action that ended the member's access (as the job read it, if any) gets its line, once.
 */
export async function recordClosed(
  applicationId: bigint,
  memberId: bigint,
  remoteId: string | null,
  outcome: "deactivated" | "deleted",
  closedAt: Date,
  receiptId: bigint | null,
): Promise<void> {
  // Never before the receipt's commit, whatever the worker's clock says (it is another process's).
  await queryPrepared(Prisma.sql`
    WITH closed AS (
      UPDATE member_provisioning
      SET status = ${outcome}, remote_id = ${remoteId}, last_sent_hash = NULL, last_error = NULL, deactivated_at = ${closedAt}, updated_at = ${closedAt}
      WHERE application_id = ${applicationId} AND user_id = ${memberId}
      RETURNING user_id
    ), cleared AS (
      DELETE FROM provisioning_dead_letters WHERE application_id = ${applicationId} AND user_id = ${memberId}
    )
    INSERT INTO lifecycle_receipt_accounts (receipt_id, application_id, outcome, closed_at)
    SELECT r.id, ${applicationId}, ${outcome}, greatest(${closedAt}::timestamptz, r.committed_at)
    FROM lifecycle_receipts r, closed WHERE r.id = ${receiptId}::bigint AND r.user_id = ${memberId}
    ON CONFLICT (receipt_id, application_id) DO NOTHING`);
}
