import { assertScimDestination, trimBaseUrl } from "@/server/provisioning/scim-url";

// A SCIM 2.0 client (RFC 7644) for one application: application/scim+json,
// a timeout on every call, redirects refused (a bearer token must not follow
// one to another host), answers capped in size, and the peer's errors read
// from the SCIM error schema. A failure says whether it is worth retrying
// (429, 5xx, timeouts, the network) and how long the peer asked to wait.

export const SCIM_MEDIA_TYPE = "application/scim+json";
const TIMEOUT_MS = 10_000;
/** A page of 100 users is far below this. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
const RETRY_AFTER_CAP_SECONDS = 3600;

export type TScimEndpoint = { baseUrl: string; token: string };

export class ScimError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
    readonly retryAfterSeconds: number | null = null,
    readonly scimType: string | null = null,
  ) {
    super(message);
    this.name = "ScimError";
  }
}

/** Retry-After as seconds (a number or an HTTP date), capped; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), RETRY_AFTER_CAP_SECONDS);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, Math.ceil((at - now) / 1000)), RETRY_AFTER_CAP_SECONDS);
}

/** The peer's own words (SCIM error schema: detail, scimType), cut short for the state row. */
function describeError(status: number, body: unknown): { message: string; scimType: string | null } {
  const error = typeof body === "object" && body !== null ? (body as { detail?: unknown; scimType?: unknown }) : {};
  const detail = typeof error.detail === "string" ? error.detail.slice(0, 200) : null;
  const scimType = typeof error.scimType === "string" ? error.scimType.slice(0, 40) : null;
  return { message: `HTTP ${status}${scimType ? ` ${scimType}` : ""}${detail ? `: ${detail}` : ""}`, scimType };
}

async function readCapped(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new ScimError("The application's answer is too large", response.status, false);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export type TScimAnswer = { status: number; body: unknown };

export async function scimRequest(endpoint: TScimEndpoint, method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", path: string, body?: unknown): Promise<TScimAnswer> {
  await assertScimDestination(endpoint.baseUrl);
  let response: Response;
  try {
    response = await fetch(`${trimBaseUrl(endpoint.baseUrl)}${path}`, {
      method,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        authorization: `Bearer ${endpoint.token}`,
        accept: SCIM_MEDIA_TYPE,
        ...(body === undefined ? {} : { "content-type": SCIM_MEDIA_TYPE }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new ScimError(timedOut ? "The application did not answer in time" : "The application could not be reached", null, true);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new ScimError(`HTTP ${response.status}: redirects are not followed; use the final URL`, response.status, false);
  }
  const text = await readCapped(response);
  let parsed: unknown = null;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (response.ok) return { status: response.status, body: parsed };
  const { message, scimType } = describeError(response.status, parsed);
  const retryable = response.status === 429 || response.status >= 500 || response.status === 408;
  throw new ScimError(message, response.status, retryable, parseRetryAfter(response.headers.get("retry-after")), scimType);
}

export type TScimListPage = { resources: Record<string, unknown>[]; totalResults: number; itemsPerPage: number };

/** One page of a list (RFC 7644 3.4.2.4: startIndex is 1-based). */
export async function listUsersPage(endpoint: TScimEndpoint, startIndex: number, count: number, filter?: string): Promise<TScimListPage> {
  const query = new URLSearchParams({ startIndex: String(startIndex), count: String(count) });
  if (filter) query.set("filter", filter);
  const { body } = await scimRequest(endpoint, "GET", `/Users?${query.toString()}`);
  const list = (typeof body === "object" && body !== null ? body : {}) as { Resources?: unknown; totalResults?: unknown; itemsPerPage?: unknown };
  const resources = Array.isArray(list.Resources) ? list.Resources.filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null) : [];
  return {
    resources,
    totalResults: typeof list.totalResults === "number" ? list.totalResults : resources.length,
    itemsPerPage: typeof list.itemsPerPage === "number" ? list.itemsPerPage : resources.length,
  };
}

/** A SCIM filter string literal (RFC 7644 3.4.2.2: a JSON string). */
export const scimString = (value: string) => JSON.stringify(value);
