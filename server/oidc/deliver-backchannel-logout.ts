import type { TDatabase } from "@/server/db/client";
import { signLogoutToken } from "@/server/oidc/backchannel-logout-token";

// The application__deliver_backchannel_logout job's work: one logout token to
// one application for one of a member's sessions there (a row of
// application_logout_deliveries, written when the access was revoked).
// Idempotent: a row already delivered (or given up) is never sent again, and
// a retry re-reads the row and the application's current settings.

/** An application answers within this, or the attempt fails (and is retried). */
export const LOGOUT_DELIVERY_TIMEOUT_MS = 5_000;

export type TDeliveryAttempt = { attempt: number; maxAttempts: number };
export type TDeliveryOutcome = "delivered" | "retry" | "failed" | "skipped";

/** A failed attempt graphile-worker should retry (with its backoff). */
export class LogoutDeliveryError extends Error {}

type TDeliveryRow = { id: bigint; user_id: bigint; sid: string; status: string; client_id: string | null; uri: string | null; tenant_slug: string };

export async function deliverBackchannelLogout(db: TDatabase, deliveryId: bigint, { attempt, maxAttempts }: TDeliveryAttempt): Promise<TDeliveryOutcome> {
  const [row] = await db.$queryRaw<TDeliveryRow[]>`
    SELECT d.id, d.user_id, d.sid, d.status, a.oidc_client_id::text AS client_id, a.backchannel_logout_uri AS uri, t.slug::text AS tenant_slug
    FROM application_logout_deliveries d
    JOIN applications a ON a.id = d.application_id AND a.tenant_id = d.tenant_id
    JOIN tenants t ON t.id = d.tenant_id
    WHERE d.id = ${deliveryId}`;
  // Gone with the member or the application, or done already.
  if (!row || row.status !== "pending") return "skipped";
  const endpoint = row.uri && row.client_id ? backchannelEndpoint(row.uri) : null;
  if (!endpoint || !row.client_id) {
    await recordAttempt(db, row.id, { status: "failed", httpStatus: null, error: "The application no longer has a valid back-channel logout URI" });
    return "failed";
  }

  const logoutToken = await signLogoutToken(db, { tenantSlug: row.tenant_slug, clientId: row.client_id, userId: row.user_id, sid: row.sid });
  const { httpStatus, error } = await post(endpoint, logoutToken);
  if (httpStatus !== null && httpStatus >= 200 && httpStatus < 300) {
    await recordAttempt(db, row.id, { status: "delivered", httpStatus, error: null });
    return "delivered";
  }
  const final = attempt >= maxAttempts;
  await recordAttempt(db, row.id, { status: final ? "failed" : "pending", httpStatus, error });
  if (final) return "failed";
  throw new LogoutDeliveryError(`Back-channel logout ${deliveryId} not delivered (attempt ${attempt} of ${maxAttempts}): ${error}`);
}

/** Only the URI the admin configured, and only over HTTP(S): never a redirect's target. */
function backchannelEndpoint(uri: string): URL | null {
  try {
    const url = new URL(uri);
    return url.protocol === "https:" || url.protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

async function post(endpoint: URL, logoutToken: string): Promise<{ httpStatus: number | null; error: string | null }> {
  try {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ logout_token: logoutToken }).toString(),
      // A redirect is an answer, not an instruction: following it would let an application send Tenure's request anywhere.
      redirect: "manual",
      signal: AbortSignal.timeout(LOGOUT_DELIVERY_TIMEOUT_MS),
    });
    // The body is never read or stored (it could be large, or carry anything).
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { httpStatus: response.status, error: ok ? null : `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`.slice(0, 200) };
  } catch (error) {
    return { httpStatus: null, error: networkError(error) };
  }
}

/** A network failure in a few words: its code or name, never a URL's credentials or a body. */
function networkError(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `No answer within ${LOGOUT_DELIVERY_TIMEOUT_MS / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === "string" ? cause.code : error instanceof Error ? error.name : "Error";
  return `Network error: ${code}`.slice(0, 200);
}

async function recordAttempt(db: TDatabase, id: bigint, outcome: { status: "delivered" | "pending" | "failed"; httpStatus: number | null; error: string | null }): Promise<void> {
  // Only a pending row changes: a late duplicate never turns a delivered row back.
  await db.$executeRaw`
    UPDATE application_logout_deliveries
    SET status = ${outcome.status}::text, attempts = attempts + 1, last_http_status = ${outcome.httpStatus}::int, last_error = ${outcome.error}::text,
        last_attempt_at = clock_timestamp(), delivered_at = CASE WHEN ${outcome.status}::text = 'delivered' THEN clock_timestamp() END
    WHERE id = ${id} AND status = 'pending'`;
}
