import { serverEnv } from "@/server/env";
import { OIDC_PATH_PREFIX } from "@/server/oidc/paths";

// One issuer per organisation, under the installation's public address:
// <NEXTAUTH_URL>/oidc/<organisation slug>. Relying parties discover everything
// else from <issuer>/.well-known/openid-configuration.

export function issuerUrl(tenantSlug: string): string {
  return `${serverEnv().NEXTAUTH_URL.replace(/\/+$/, "")}${OIDC_PATH_PREFIX}${encodeURIComponent(tenantSlug)}`;
}

/** The organisation slug of a request path under /oidc/<slug>/…, or null for any other path. */
export function tenantSlugOfOidcPath(pathname: string): string | null {
  if (!pathname.startsWith(OIDC_PATH_PREFIX)) return null;
  const slug = pathname.slice(OIDC_PATH_PREFIX.length).split("/")[0];
  return slug ? decodeURIComponent(slug) : null;
}

/**
 * The `sub` claim of a member: their id, as a decimal string. Stable for the
 * member's whole life (a rename, a move or a directory relink keeps it) and
 * never reused, since member ids are never reused.
 */
export function subjectOf(userId: bigint): string {
  return userId.toString();
}

/** The member id of a `sub` (or of oidc-provider's accountId), or null when it is not one of ours. */
export function userIdOfSubject(subject: string): bigint | null {
  return /^[1-9][0-9]{0,18}$/.test(subject) ? BigInt(subject) : null;
}
