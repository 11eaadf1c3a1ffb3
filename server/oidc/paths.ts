// The issuers' path space, shared by the server and the sign-in pages (pure: safe for client components).

export const OIDC_PATH_PREFIX = "/oidc/";

/** True for a path served by an organisation's issuer, not by a Next page. */
export const isIssuerPath = (path: string): boolean => path.startsWith(OIDC_PATH_PREFIX);
