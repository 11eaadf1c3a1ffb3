import type { TDatabase } from "@/server/db/client";
import { canSignIn } from "@/server/auth/can-sign-in";
import { subjectOf, userIdOfSubject } from "@/server/oidc/issuer";

// What an application learns about a member: the claims of the claim sets the
// application was given (its claim_sets), read from the member record and
// their effective access when asked, never cached.

/** Which claims each scope (claim set) releases: oidc-provider's `claims` setting. */
export const CLAIMS_OF_SCOPE = {
  openid: ["sub"],
  profile: ["name", "given_name", "family_name", "preferred_username", "gender", "updated_at"],
  email: ["email", "email_verified"],
  phone: ["phone_number", "phone_number_verified"],
  roles: ["roles"],
  groups: ["groups"],
  permissions: ["permissions"],
} as const;

export type TClaimSet = Exclude<keyof typeof CLAIMS_OF_SCOPE, "openid">;

type TMemberRow = {
  id: bigint;
  username: string;
  email: string | null;
  first_name: string;
  last_name: string;
  full_name: string;
  mobile: string | null;
  gender: string | null;
  updated_at: Date;
  enabled: boolean;
  locked: boolean;
  state: string;
};

/** Member ids are only ever members of this organisation; a blocked member has no account at the issuer. */
export async function findSignInMember(database: TDatabase, tenantId: bigint, subject: string): Promise<TMemberRow | null> {
  const userId = userIdOfSubject(subject);
  if (userId === null) return null;
  const [row] = await database.$queryRaw<TMemberRow[]>`
    SELECT id, username::text, email::text, first_name, last_name, full_name, mobile, gender, updated_at, enabled, locked, state
    FROM users WHERE id = ${userId} AND tenant_id = ${tenantId} AND deleted_at IS NULL`;
  return row && canSignIn(row) ? row : null;
}

async function accessNames(database: TDatabase, userId: bigint, sets: Set<string>) {
  const wanted = (set: string) => sets.has(set);
  const [roles, groups, permissions] = await Promise.all([
    wanted("roles")
      ? database.$queryRaw<{ name: string }[]>`
          SELECT r.name FROM member_access ma JOIN roles r ON r.id = ma.item_id WHERE ma.user_id = ${userId} AND ma.kind = 1 ORDER BY r.name`
      : [],
    wanted("groups")
      ? database.$queryRaw<{ name: string }[]>`
          SELECT g.name FROM member_groups mg JOIN groups g ON g.id = mg.group_id WHERE mg.user_id = ${userId} ORDER BY g.name`
      : [],
    wanted("permissions")
      ? database.$queryRaw<{ name: string }[]>`
          SELECT p.permission AS name FROM member_access ma JOIN policies p ON p.id = ma.item_id WHERE ma.user_id = ${userId} AND ma.kind = 3 ORDER BY p.permission`
      : [],
  ]);
  return { roles: roles.map((row) => row.name), groups: groups.map((row) => row.name), permissions: permissions.map((row) => row.name) };
}

/**
 * The claims of `member` for an application allowed `claimSets`. oidc-provider
 * then keeps those of the scopes the request asked for (and the grant holds).
 */
export async function memberClaims(database: TDatabase, member: TMemberRow, claimSets: readonly string[]): Promise<Record<string, unknown>> {
  const sets = new Set(claimSets);
  const claims: Record<string, unknown> = { sub: subjectOf(member.id) };
  if (sets.has("profile")) {
    Object.assign(claims, {
      name: member.full_name,
      given_name: member.first_name,
      family_name: member.last_name,
      preferred_username: member.username,
      ...(member.gender ? { gender: member.gender } : {}),
      updated_at: Math.floor(member.updated_at.getTime() / 1000),
    });
  }
  // Addresses are entered by administrators, not proven by the member: not "verified" in OpenID's sense.
  if (sets.has("email") && member.email) Object.assign(claims, { email: member.email, email_verified: false });
  if (sets.has("phone") && member.mobile) Object.assign(claims, { phone_number: member.mobile, phone_number_verified: false });
  if (sets.has("roles") || sets.has("groups") || sets.has("permissions")) {
    const names = await accessNames(database, member.id, sets);
    if (sets.has("roles")) claims.roles = names.roles;
    if (sets.has("groups")) claims.groups = names.groups;
    if (sets.has("permissions")) claims.permissions = names.permissions;
  }
  return claims;
}
