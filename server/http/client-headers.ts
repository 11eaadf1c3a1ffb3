// The request headers Tenure's own HTTP server (server/http/web-server.ts)
// writes before Next.js sees a request. Pure constants: read by the server
// and by the code that records a client (server/auth/auth-options.ts).

/** The client's address as the server worked it out (socket, or the trusted proxies' X-Forwarded-For). */
export const CLIENT_ADDRESS_HEADER = "x-tenure-client-address";

/**
 * A user agent longer than this is cut before anything parses it: real ones
 * are under 300 characters, and regular expressions run on it on every
 * request (Next.js's bot check is quadratic in its length).
 */
export const MAX_USER_AGENT_LENGTH = 512;
