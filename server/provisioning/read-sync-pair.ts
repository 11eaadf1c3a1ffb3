import { Prisma } from "@/server/db/generated/client";
import { queryPrepared } from "@/server/db/prepared-statements";
import { scimSettingsOf, type TLoadedScimSettings } from "@/server/provisioning/scim-endpoint";
import { desiredAccountOf, desiredAccountQuery, type TDesiredAccount, type TDesiredAccountRow } from "@/server/provisioning/desired-account";
import { CLOSING_ACTIONS, CLOSED_STATES } from "@/server/provisioning/receipt-accounts";

// What one sync job needs to know before it calls the peer, in one statement:
// a bulk disable runs 10,000 of these jobs, and each round trip to the
// database costs more in the worker's process than the query itself does.

export type TPairState = { status: string; remoteId: string | null; lastSentHash: string | null };

export type TSyncPair = {
  settings: TLoadedScimSettings;
  /** Tenure's record of the member's account there (none before the first sync). */
  state: TPairState | null;
  /** What the member should have there now (null: the member is gone, erased). */
  desired: TDesiredAccount | null;
  /**
   * The receipt of the action that ended the member's access (their newest closing receipt, while they are still
   * disabled, resigned, archived or deleted): a close this job makes is recorded on it. Read with the rest, so
   * no clock of another process decides which receipt it is.
   */
  closingReceiptId: bigint | null;
};

type TRow = Omit<TDesiredAccountRow, "id" | "state" | "wanted"> & {
  id: bigint | null; state: string | null; wanted: boolean | null;
  s_tenant_id: bigint; s_enabled: boolean; s_base_url: string; s_sealed_token: string; s_attribute_mapping: unknown; s_deprovision_mode: string;
  s_push_groups: boolean; s_rate_limit: number; s_approved_at: Date | null;
  p_exists: boolean; p_status: string | null; p_remote_id: string | null; p_last_sent_hash: string | null;
  closing_receipt_id: bigint | null;
  turn_tokens: number | null;
};

/**
 * The application's settings, the pair's state and the member's desired account (null when the application
 * has no SCIM settings), and in the same statement the job's turn under the application's rate limit
 * (`reservation`, reserveTokenSql: the bucket's tokens after the take, null when refused). A prepared
 * statement: planning its joins costs as much as running them, 10,000 times in a bulk disable.
 */
export async function readSyncPair(applicationId: bigint, memberId: bigint, reservation: Prisma.Sql): Promise<{ pair: TSyncPair | null; turnTokens: number | null }> {
  const [row] = await queryPrepared<TRow>(Prisma.sql`
    WITH turn AS (${reservation})
    SELECT (SELECT tokens FROM turn) AS turn_tokens,
           s.tenant_id AS s_tenant_id, s.enabled AS s_enabled, s.base_url AS s_base_url, s.sealed_token AS s_sealed_token,
           s.attribute_mapping AS s_attribute_mapping, s.deprovision_mode AS s_deprovision_mode, s.push_groups AS s_push_groups, s.rate_limit_per_second AS s_rate_limit,
           s.first_reconciliation_approved_at AS s_approved_at,
           p.user_id IS NOT NULL AS p_exists, p.status AS p_status, p.remote_id AS p_remote_id, p.last_sent_hash AS p_last_sent_hash,
           desired.*,
           CASE WHEN desired.state = ANY(${CLOSED_STATES}::text[]) THEN
             (SELECT r.id FROM lifecycle_receipts r WHERE r.user_id = ${memberId} AND r.action = ANY(${CLOSING_ACTIONS}::text[]) ORDER BY r.id DESC LIMIT 1)
           END AS closing_receipt_id
    FROM application_scim_settings s
    LEFT JOIN member_provisioning p ON p.application_id = s.application_id AND p.user_id = ${memberId}
    LEFT JOIN LATERAL (${desiredAccountQuery(Prisma.raw("s.tenant_id"), applicationId, memberId)}) desired ON true
    WHERE s.application_id = ${applicationId}`);
  if (!row) return { pair: null, turnTokens: null };
  const settings = scimSettingsOf(applicationId, {
    tenantId: row.s_tenant_id, enabled: row.s_enabled, baseUrl: row.s_base_url, sealedToken: row.s_sealed_token, attributeMapping: row.s_attribute_mapping,
    deprovisionMode: row.s_deprovision_mode, pushGroups: row.s_push_groups, rateLimitPerSecond: row.s_rate_limit, firstReconciliationApprovedAt: row.s_approved_at,
  });
  const state = row.p_exists ? { status: row.p_status ?? "pending", remoteId: row.p_remote_id, lastSentHash: row.p_last_sent_hash } : null;
  const desired = row.id === null || row.state === null || row.wanted === null ? null : desiredAccountOf({ ...row, id: row.id, state: row.state, wanted: row.wanted });
  return { pair: { settings, state, desired, closingReceiptId: row.closing_receipt_id }, turnTokens: row.turn_tokens };
}
