import type { TDatabase } from "@/server/db/client";
import { ACCESS_KIND_NUMBERS } from "@/server/access-changes/access-changes";

// /me: the applications the member can sign in to through Tenure (held
// directly or inherited from groups and departments: their effective access),
// each with where to start signing in, and whether the member has a live
// session there or, for a third-party application, a consent given.

export type TMyApplication = {
  id: string;
  name: string;
  description: string | null;
  /** The application's home (the origin of its first redirect URI): opening it starts its sign-in. */
  signInUrl: string | null;
  firstParty: boolean;
  liveSession: boolean;
  consentGiven: boolean;
};

/** The origin of the first redirect URI: an application's callback lives on the application itself. */
function homeOf(redirectUris: string[]): string | null {
  const [first] = redirectUris;
  if (!first) return null;
  try {
    return `${new URL(first).origin}/`;
  } catch {
    return null;
  }
}

export async function listMyApplications(db: TDatabase, tenantId: bigint, memberId: bigint, now = new Date()): Promise<TMyApplication[]> {
  const rows = await db.$queryRaw<{ id: bigint; name: string; description: string | null; redirect_uris: string[]; first_party: boolean; live: boolean; consented: boolean }[]>`
    SELECT a.id, a.name, a.description, a.redirect_uris, a.first_party,
      EXISTS (SELECT 1 FROM oidc_payloads p WHERE p.user_id = ${memberId} AND p.client_id = a.oidc_client_id AND p.model IN ('AccessToken', 'RefreshToken')
              AND p.consumed_at IS NULL AND (p.expires_at IS NULL OR p.expires_at > ${now})) AS live,
      EXISTS (SELECT 1 FROM oidc_payloads p WHERE p.user_id = ${memberId} AND p.client_id = a.oidc_client_id AND p.model = 'Grant'
              AND (p.expires_at IS NULL OR p.expires_at > ${now})) AS consented
    FROM applications a
    WHERE a.tenant_id = ${tenantId} AND a.oidc_client_id IS NOT NULL
      AND a.id IN (
        SELECT i.item_id FROM member_access_profiles m JOIN access_profile_items i ON i.profile_id = m.profile_id
        WHERE m.user_id = ${memberId} AND i.kind = ${ACCESS_KIND_NUMBERS.application}::smallint)
    ORDER BY lower(a.name), a.id`;
  return rows.map((row) => ({
    id: row.id.toString(),
    name: row.name,
    description: row.description,
    signInUrl: homeOf(row.redirect_uris),
    firstParty: row.first_party,
    liveSession: row.live,
    consentGiven: !row.first_party && row.consented,
  }));
}
