import type { TDatabaseOrTransaction } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";

// Settings → Webhooks, for admins: every endpoint with its state and its last
// attempt. Secrets never leave the server (only whether a previous one still signs).

export type TWebhookEndpointSummary = {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: "owner" | "failing" | null;
  disabledAt: Date | null;
  lastAttemptAt: Date | null;
  lastAttemptOk: boolean | null;
  consecutiveFailures: number;
  failingSince: Date | null;
  previousSecretValidUntil: Date | null;
  pendingDeliveries: number;
  createdAt: Date;
};

type TRow = {
  id: bigint;
  url: string;
  description: string;
  event_types: string[];
  enabled: boolean;
  disabled_reason: "owner" | "failing" | null;
  disabled_at: Date | null;
  last_attempt_at: Date | null;
  last_attempt_ok: boolean | null;
  consecutive_failures: number;
  failing_since: Date | null;
  previous_secret_expires_at: Date | null;
  pending: number;
  created_at: Date;
};

const summary = (row: TRow, now: Date): TWebhookEndpointSummary => ({
  id: row.id.toString(),
  url: row.url,
  description: row.description,
  eventTypes: row.event_types,
  enabled: row.enabled,
  disabledReason: row.disabled_reason,
  disabledAt: row.disabled_at,
  lastAttemptAt: row.last_attempt_at,
  lastAttemptOk: row.last_attempt_ok,
  consecutiveFailures: row.consecutive_failures,
  failingSince: row.failing_since,
  previousSecretValidUntil: row.previous_secret_expires_at && row.previous_secret_expires_at > now ? row.previous_secret_expires_at : null,
  pendingDeliveries: row.pending,
  createdAt: row.created_at,
});

function endpointRows(db: TDatabaseOrTransaction, tenantId: bigint, endpointId: bigint | null) {
  return db.$queryRaw<TRow[]>`
    SELECT e.id, e.url, e.description, e.event_types, e.enabled, e.disabled_reason, e.disabled_at, e.last_attempt_at, e.last_attempt_ok,
           e.consecutive_failures, e.failing_since, e.previous_secret_expires_at, e.created_at,
           (SELECT count(*)::int FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending') AS pending
    FROM webhook_endpoints e
    WHERE e.tenant_id = ${tenantId} AND (${endpointId}::bigint IS NULL OR e.id = ${endpointId}::bigint)
    ORDER BY e.id`;
}

export async function listWebhookEndpoints(db: TDatabaseOrTransaction, tenantId: bigint, now = new Date()): Promise<TWebhookEndpointSummary[]> {
  return (await endpointRows(db, tenantId, null)).map((row) => summary(row, now));
}

export async function getWebhookEndpoint(db: TDatabaseOrTransaction, tenantId: bigint, endpointId: bigint, now = new Date()): Promise<TWebhookEndpointSummary> {
  const [row] = await endpointRows(db, tenantId, endpointId);
  if (!row) throw new NotFoundError("No such webhook endpoint");
  return summary(row, now);
}
