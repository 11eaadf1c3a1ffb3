// The request headers Tenure's own HTTP server (server/http/web-server.ts)
// writes before Next.js sees a request, and how they are read (pure: used by the server
// and by the code that records a client).

/** The client's address as the server worked it out (socket, or the trusted proxies' X-Forwarded-For). */
export const CLIENT_ADDRESS_HEADER = "x-tenure-client-address";

/**
 * A user agent longer than this is cut before anything parses it: real ones
 * are under 300 characters, and regular expressions run on it on every
 * request (Next.js's bot check is quadratic in its length).
 */
export const MAX_USER_AGENT_LENGTH = 512;

export type THeaders = Record<string, string | string[] | undefined> | undefined;

export function firstHeader(headers: THeaders, name: string): string | null {
  const value = headers?.[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/**
 * The client as Tenure's HTTP server (server/http/) worked it out: the
 * address from the socket, or from X-Forwarded-For only as far as
 * TRUSTED_PROXIES vouch for it (a client's own X-Forwarded-For or copy of
 * this header is never believed), and the user agent cut to a sane length.
 * Served by plain `next start` there is no such header, and no address.
 */
export function clientInfoFromHeaders(headers: THeaders) {
  return {
    ipAddress: firstHeader(headers, CLIENT_ADDRESS_HEADER),
    userAgent: firstHeader(headers, "user-agent")?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
  };
}

