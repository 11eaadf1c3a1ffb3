import http from "node:http";
import https from "node:https";
import type { TDatabase } from "@/server/db/client";
import { signLogoutToken } from "@/server/oidc/backchannel-logout-token";

// The application__deliver_backchannel_logout job's work: logout tokens to one
// application for some of its sessions of members whose access was revoked
// (rows of application_logout_deliveries, written when the access was revoked;
// a bulk disable queues them in jobs of up to MAX_LOGOUTS_PER_JOB).
// One read of the rows, one signed POST each (a few at a time), one write of
// every outcome: a 10,000-member disable costs a few hundred jobs' round trips
// to the database instead of 50,000 jobs' (each of them: fetch the job, read,
// write, complete). No transaction or connection is held while an application
// answers. Idempotent: a row already delivered (or given up) is never sent
// again, and a retry re-reads the rows and the application's current settings.

/** An application answers within this, or the attempt fails (and is retried). */
export const LOGOUT_DELIVERY_TIMEOUT_MS = 5_000;
/** Requests of one job in flight at once: with the delivery runner's 25 jobs, at most 250 to the applications. */
const POSTS_IN_FLIGHT_PER_JOB = 10;

export type TDeliveryAttempt = { attempt: number; maxAttempts: number };
export type TDeliveryOutcome = "delivered" | "retry" | "failed" | "skipped";
export type TDeliveryOutcomes = Record<TDeliveryOutcome, number>;

/** A failed attempt graphile-worker should retry (with its backoff). */
export class LogoutDeliveryError extends Error {}

type TDeliveryRow = { id: bigint; user_id: bigint; sid: string; client_id: string | null; uri: string | null; tenant_slug: string };
type TRecordedOutcome = { id: bigint; status: "delivered" | "pending" | "failed"; httpStatus: number | null; error: string | null; answeredAt: number };

/**
 * Delivers the pending rows among `deliveryIds`. Throws LogoutDeliveryError
 * when some must be tried again (after every outcome is recorded, so the
 * retry sends only those); on the last attempt they are recorded as failed.
 */
export async function deliverBackchannelLogouts(db: TDatabase, deliveryIds: bigint[], { attempt, maxAttempts }: TDeliveryAttempt): Promise<TDeliveryOutcomes> {
  const outcomes: TDeliveryOutcomes = { delivered: 0, retry: 0, failed: 0, skipped: 0 };
  const rows = await db.$queryRaw<TDeliveryRow[]>`
    SELECT d.id, d.user_id, d.sid, a.oidc_client_id::text AS client_id, a.backchannel_logout_uri AS uri, t.slug::text AS tenant_slug
    FROM application_logout_deliveries d
    JOIN applications a ON a.id = d.application_id AND a.tenant_id = d.tenant_id
    JOIN tenants t ON t.id = d.tenant_id
    WHERE d.id = ANY(${deliveryIds}::bigint[]) AND d.status = 'pending'
    ORDER BY d.id`;
  // Gone with the member or the application, or done already.
  outcomes.skipped = new Set(deliveryIds).size - rows.length;
  if (rows.length === 0) return outcomes;

  const final = attempt >= maxAttempts;
  const recorded: TRecordedOutcome[] = [];
  await forEachInFlight(rows, POSTS_IN_FLIGHT_PER_JOB, async (row) => {
    const endpoint = row.uri && row.client_id ? backchannelEndpoint(row.uri) : null;
    if (!endpoint || !row.client_id) {
      recorded.push({ id: row.id, status: "failed", httpStatus: null, error: "The application no longer has a valid back-channel logout URI", answeredAt: Date.now() });
      return;
    }
    const logoutToken = await signLogoutToken(db, { tenantSlug: row.tenant_slug, clientId: row.client_id, userId: row.user_id, sid: row.sid });
    const { httpStatus, error } = await post(endpoint, logoutToken);
    const delivered = httpStatus !== null && httpStatus >= 200 && httpStatus < 300;
    recorded.push({ id: row.id, status: delivered ? "delivered" : final ? "failed" : "pending", httpStatus, error, answeredAt: Date.now() });
  });
  await recordAttempts(db, recorded);

  for (const outcome of recorded) outcomes[outcome.status === "pending" ? "retry" : outcome.status] += 1;
  if (outcomes.retry > 0) {
    const firstError = recorded.find((outcome) => outcome.status === "pending")?.error;
    throw new LogoutDeliveryError(`${outcomes.retry} of ${rows.length} back-channel logouts not delivered (attempt ${attempt} of ${maxAttempts}): ${firstError}`);
  }
  return outcomes;
}

/** One row's delivery: its outcome, as the batch records it. */
export async function deliverBackchannelLogout(db: TDatabase, deliveryId: bigint, attempt: TDeliveryAttempt): Promise<TDeliveryOutcome> {
  const outcomes = await deliverBackchannelLogouts(db, [deliveryId], attempt);
  return outcomes.delivered ? "delivered" : outcomes.failed ? "failed" : "skipped";
}

/** Runs `work` over `items`, at most `limit` at once. */
async function forEachInFlight<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let index = next++; index < items.length; index = next++) await work(items[index]!);
    }),
  );
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

/** Kept-alive connections per application: a bulk disable posts thousands of tokens to each. */
const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };
/** What is read of an answer's body before the connection is dropped: the body is never used or stored. */
const MAX_DRAINED_BODY_BYTES = 64 * 1024;

/**
 * One POST with node:http, not fetch: a bulk disable makes 50,000 of them,
 * and fetch's streams and objects cost a few times the CPU (and garbage) of
 * a plain request. Redirects are not followed (node:http never does): a
 * redirect is an answer, not an instruction, or an application could send
 * Tenure's request anywhere.
 */
async function post(endpoint: URL, logoutToken: string): Promise<{ httpStatus: number | null; error: string | null }> {
  const body = new URLSearchParams({ logout_token: logoutToken }).toString();
  const first = await postOnce(endpoint, body);
  // A kept-alive connection the application closed just as it was reused: Node's documented race, tried once more on a fresh one.
  return first.staleConnection ? postOnce(endpoint, body) : first;
}

function postOnce(endpoint: URL, body: string): Promise<{ httpStatus: number | null; error: string | null; staleConnection?: boolean }> {
  return new Promise((resolve) => {
    const request = (endpoint.protocol === "https:" ? https : http).request(endpoint, {
      method: "POST",
      agent: agents[endpoint.protocol as keyof typeof agents],
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", "content-length": Buffer.byteLength(body) },
    });
    const timer = setTimeout(() => request.destroy(new TimeoutError()), LOGOUT_DELIVERY_TIMEOUT_MS);
    request.once("response", (response) => {
      clearTimeout(timer);
      const status = response.statusCode ?? 0;
      const ok = status >= 200 && status < 300;
      resolve({ httpStatus: status, error: ok ? null : `HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ""}`.slice(0, 200) });
      // Drained so the connection can be reused, up to a limit; never kept.
      let drained = 0;
      response.on("data", (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > MAX_DRAINED_BODY_BYTES) response.destroy();
      });
      response.on("error", () => undefined);
    });
    request.once("error", (error) => {
      clearTimeout(timer);
      const staleConnection = request.reusedSocket && (error as { code?: unknown }).code === "ECONNRESET";
      resolve({ httpStatus: null, error: networkError(error), staleConnection });
    });
    request.end(body);
  });
}

class TimeoutError extends Error {
  override name = "TimeoutError";
}

/** A network failure in a few words: its code or name, never a URL's credentials or a body. */
function networkError(error: unknown): string {
  if (error instanceof TimeoutError) return `No answer within ${LOGOUT_DELIVERY_TIMEOUT_MS / 1000} s`;
  const code = error instanceof Error ? ((error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code) : undefined;
  return `Network error: ${typeof code === "string" ? code : error instanceof Error ? error.name : "Error"}`.slice(0, 200);
}

/**
 * Every outcome of the job in one statement. The times are the database's
 * clock, less how long ago each application answered (the job writes once,
 * after its last answer), so a receipt's "delivered at" is when the
 * application confirmed, not when the job finished.
 */
async function recordAttempts(db: TDatabase, outcomes: TRecordedOutcome[]): Promise<void> {
  const now = Date.now();
  // Only a pending row changes: a late duplicate never turns a delivered row back.
  await db.$executeRaw`
    UPDATE application_logout_deliveries d
    SET status = o.status, attempts = d.attempts + 1, last_http_status = o.http_status, last_error = o.error,
        last_attempt_at = o.answered_at, delivered_at = CASE WHEN o.status = 'delivered' THEN o.answered_at END
    FROM (
      SELECT id, status, http_status, error, clock_timestamp() - make_interval(secs => age_ms / 1000.0) AS answered_at
      FROM unnest(${outcomes.map((outcome) => outcome.id)}::bigint[], ${outcomes.map((outcome) => outcome.status)}::text[],
                  ${outcomes.map((outcome) => outcome.httpStatus)}::int[], ${outcomes.map((outcome) => outcome.error)}::text[],
                  ${outcomes.map((outcome) => now - outcome.answeredAt)}::int[]) AS u(id, status, http_status, error, age_ms)
    ) o
    WHERE d.id = o.id AND d.status = 'pending'`;
}
