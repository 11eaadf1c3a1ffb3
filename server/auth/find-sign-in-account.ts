import type { TDatabaseOrTransaction } from "@/server/db/client";
import { POLICY_COLUMNS_SQL, policyFromColumns, type TPolicyColumns } from "@/server/auth/security-policy";
import type { TSecurityPolicy } from "@/server/auth/security-policy-schemas";
import { normaliseMobile } from "@/server/validation/phone";

export type TSignInAccount = {
  id: bigint;
  passwordHash: string | null;
  enabled: boolean;
  locked: boolean;
  state: string;
  lockEndAt: Date | null;
  passwordExpiresAt: Date | null;
  passwordChangeRequired: boolean;
  firstName: string;
  lastName: string;
  fullName: string;
  username: string;
  email: string;
  /** Read here so the sign-in needs no query of its own for it. */
  mfaEnabled: boolean;
  /** The member's directory when it signs its members in by LDAP bind: their password is the directory's, not ours. */
  bindDirectoryId: bigint | null;
  /** The member's entry in that directory (the DN to bind as). */
  directoryDn: string | null;
};

type TRow = TPolicyColumns & {
  tenant_id: bigint;
  user_id: bigint | null;
  password_hash: string | null;
  enabled: boolean;
  locked: boolean;
  state: string;
  lock_end_at: Date | null;
  password_expires_at: Date | null;
  password_change_required: boolean;
  first_name: string;
  last_name: string;
  full_name: string;
  username: string;
  email: string;
  mfa_enabled: boolean;
  bind_directory_id: bigint | null;
  directory_dn: string | null;
};

/**
 * A mobile number typed at sign-in, in E.164, when it is one: international
 * form only ("+44 7700 900123" or "0044…"), since a national number needs a
 * country the sign-in form does not ask for.
 */
export function signInMobile(login: string): string | null {
  const compact = login.replace(/[\s().-]/g, "");
  if (!/^(\+|00)[1-9]\d{5,14}$/.test(compact)) return null;
  return normaliseMobile(compact.startsWith("00") ? `+${compact.slice(2)}` : compact)?.mobile ?? null;
}

/**
 * The organisation (with its security policy) and the member a sign-in names
 * by username, email or mobile, in one query. Deleted members are not found.
 * Null when the organisation does not exist; `member` null for no such member.
 */
export async function findSignInAccount(
  db: TDatabaseOrTransaction,
  organisation: string,
  login: string,
): Promise<{ tenantId: bigint; policy: TSecurityPolicy; member: TSignInAccount | null } | null> {
  const mobile = signInMobile(login);
  const [row] = await db.$queryRaw<TRow[]>`
    SELECT t.id AS tenant_id, ${POLICY_COLUMNS_SQL}, u.*
    FROM tenants t
    LEFT JOIN tenant_security_policies p ON p.tenant_id = t.id
    LEFT JOIN LATERAL (
      SELECT id AS user_id, password_hash, enabled, locked, state, lock_end_at, password_expires_at, password_change_required,
             first_name, last_name, full_name, username::text, email::text,
             EXISTS (SELECT 1 FROM member_mfa m WHERE m.user_id = users.id AND m.enabled_at IS NOT NULL) AS mfa_enabled,
             (SELECT d.id FROM directories d WHERE d.id = users.user_directory_id AND d.sign_in_by_bind) AS bind_directory_id,
             directory_dn
      FROM users
      WHERE tenant_id = t.id AND deleted_at IS NULL
        AND (username = ${login}::citext OR email = ${login}::citext OR mobile = ${mobile})
      -- A username beats an email beats a mobile number, should two members match different ones.
      ORDER BY (username = ${login}::citext) DESC, (email = ${login}::citext) DESC
      LIMIT 1
    ) u ON true
    WHERE t.slug = ${organisation}`;
  if (!row) return null;
  const member: TSignInAccount | null =
    row.user_id === null
      ? null
      : {
          id: row.user_id,
          passwordHash: row.password_hash,
          enabled: row.enabled,
          locked: row.locked,
          state: row.state,
          lockEndAt: row.lock_end_at,
          passwordExpiresAt: row.password_expires_at,
          passwordChangeRequired: row.password_change_required,
          firstName: row.first_name,
          lastName: row.last_name,
          fullName: row.full_name,
          username: row.username,
          email: row.email,
          mfaEnabled: row.mfa_enabled,
          bindDirectoryId: row.bind_directory_id,
          directoryDn: row.directory_dn,
        };
  return { tenantId: row.tenant_id, policy: policyFromColumns(row), member };
}
