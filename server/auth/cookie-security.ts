const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Session cookies are Secure over https, and in production everywhere except
 * a plain-http loopback address (the embedded trial run), where a browser
 * would drop them. Production on any other http URL is refused by
 * `assertCookiesCanBeSecure`, so a deployment can never run without them.
 */
export function sessionCookiesAreSecure(nextAuthUrl: string, nodeEnv: string | undefined): boolean {
  const url = new URL(nextAuthUrl);
  if (url.protocol === "https:") return true;
  return nodeEnv === "production" && !LOOPBACK_HOSTS.has(url.hostname);
}

export function assertCookiesCanBeSecure(nextAuthUrl: string, nodeEnv: string | undefined): void {
  const url = new URL(nextAuthUrl);
  if (nodeEnv === "production" && url.protocol !== "https:" && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new Error(
      `NEXTAUTH_URL is ${url.origin}: in production Tenure must be served over https (session cookies are Secure). ` +
        `Put it behind a TLS proxy and set NEXTAUTH_URL=https://…, or use a loopback address to try it locally.`,
    );
  }
}

export function sessionCookieName(secure: boolean): string {
  return secure ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}
