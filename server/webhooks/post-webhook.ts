// One HTTP attempt: POST with a deadline, no redirect followed (a 3xx is a
// failure: a redirect could send the signed event somewhere the owner never
// chose), and only a short excerpt of the answer kept for the log.

export const WEBHOOK_TIMEOUT_MS = 10_000;
const EXCERPT_CHARACTERS = 300;

export type TPostOutcome = { ok: boolean; status: number | null; error: string | null; excerpt: string | null; durationMs: number };

async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < EXCERPT_CHARACTERS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const trimmed = text.slice(0, EXCERPT_CHARACTERS).trim();
  return trimmed === "" ? null : trimmed;
}

function describeError(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `No answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : null;
  return (code ? `Could not connect (${code})` : `Could not connect: ${cause instanceof Error ? cause.message : "unknown error"}`).slice(0, 300);
}

export async function postWebhook(url: string, headers: Record<string, string>, body: string, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<TPostOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Tenure-Webhooks/1", ...headers },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const excerpt = await readExcerpt(response).catch(() => null);
    const ok = response.status >= 200 && response.status < 300;
    const error = ok ? null : response.status >= 300 && response.status < 400 ? "Redirects are not followed" : `HTTP ${response.status}`;
    return { ok, status: response.status, error, excerpt, durationMs: elapsed() };
  } catch (error) {
    return { ok: false, status: null, error: describeError(error), excerpt: null, durationMs: elapsed() };
  }
}
