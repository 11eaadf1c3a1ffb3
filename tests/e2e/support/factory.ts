import { createCipheriv, createHash, hkdfSync, randomBytes, randomInt, randomUUID } from "node:crypto";
import type pg from "pg";
import { hashPassword } from "@/server/auth/password";
import { newTotpSecret } from "@/server/auth/mfa/totp";
import { SYSTEM_ROLE, type TSystemRole } from "@/server/shared/roles";

// Arranges e2e scenarios directly in the e2e server's database: each test gets
// its own organisation with uniquely named members, so specs never depend on
// one another (only on first-run setup being done, see playwright.config.ts).

export type TE2eMember = {
  id: string;
  username: string;
  email: string;
  fullName: string;
  password: string;
  role: TSystemRole;
};

export type TE2eTenant = { id: string; slug: string; name: string };

export type TE2eDepartment = { id: string; name: string };

export type TSessionRow = { id: string; revokedAt: Date | null; revokedReason: string | null };

/** A password that satisfies the 15-character minimum and is new each time. */
export const newPassword = () => `Tq ${randomBytes(12).toString("base64url")} passphrase`;

/** A UK mobile number in E.164 form, different each call. */
const uniqueMobile = () => `+4478${randomInt(0, 100_000_000).toString().padStart(8, "0")}`;

export class E2eFactory {
  constructor(private readonly database: pg.Pool) {}

  async createTenant(name = "E2E Organisation"): Promise<TE2eTenant> {
    const slug = `e2e-${randomUUID().slice(0, 8)}`;
    const { rows } = await this.database.query<{ id: string }>("INSERT INTO tenants (slug, name) VALUES ($1, $2) RETURNING id", [
      slug,
      `${name} ${slug}`,
    ]);
    return { id: rows[0]!.id, slug, name: `${name} ${slug}` };
  }

  async createMember(tenant: TE2eTenant, options: { role?: TSystemRole; fullName?: string; email?: string } = {}): Promise<TE2eMember> {
    const role = options.role ?? "member";
    const username = `${role}-${randomUUID().slice(0, 8)}`;
    const email = options.email ?? `${username}@${tenant.slug}.test`;
    const fullName = options.fullName ?? `E2E ${role[0]!.toUpperCase()}${role.slice(1)} ${username.slice(-4)}`;
    const password = newPassword();
    const { rows } = await this.database.query<{ id: string }>(
      // The mobile is British: its dialing code and country as the console records them.
      `INSERT INTO users (tenant_id, username, email, first_name, last_name, full_name, mobile, itc, country, password_hash, sys_admin)
       VALUES ($1, $2, $3, $4, $5, $6, $7, '+44', 'GB', $8, $9) RETURNING id`,
      [tenant.id, username, email, "E2E", username, fullName, uniqueMobile(), await hashPassword(password), SYSTEM_ROLE[role]],
    );
    return { id: rows[0]!.id, username, email, fullName, password, role };
  }

  /** What an administrator's "end all sessions" does (server/auth/sessions.ts#revokeMemberSessions). */
  async revokeMemberSessions(member: { id: string }, reason = "revoked"): Promise<number> {
    const { rowCount } = await this.database.query(
      "UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()",
      [member.id, reason],
    );
    return rowCount ?? 0;
  }

  async setEnabled(member: { id: string }, enabled: boolean): Promise<void> {
    // enabled is derived from the lifecycle state in the database.
    await this.database.query("UPDATE users SET state = $2, updated_at = now() WHERE id = $1", [member.id, enabled ? "active" : "disabled"]);
  }

  async sessionsOf(member: { id: string }): Promise<TSessionRow[]> {
    const { rows } = await this.database.query<TSessionRow>(
      `SELECT id, revoked_at AS "revokedAt", revoked_reason AS "revokedReason" FROM sessions WHERE user_id = $1 ORDER BY created_at`,
      [member.id],
    );
    return rows;
  }

  async tenantCount(): Promise<number> {
    const { rows } = await this.database.query<{ count: string }>("SELECT count(*) FROM tenants");
    return Number(rows[0]!.count);
  }

  async memberByUsername(username: string): Promise<{ id: string; sysAdmin: number } | null> {
    const { rows } = await this.database.query<{ id: string; sysAdmin: number }>(
      `SELECT id, sys_admin AS "sysAdmin" FROM users WHERE username = $1`,
      [username],
    );
    return rows[0] ?? null;
  }

  /** Someone else's save, behind the browser's back: a new title and a new lastModifiedDate. */
  async setTitleElsewhere(member: { id: string }, title: string): Promise<void> {
    await this.database.query("UPDATE users SET title = $2, updated_at = now() WHERE id = $1", [member.id, title]);
  }

  /** A regular department, at the top or under `parent`. */
  async createDepartment(tenant: TE2eTenant, name: string, parent?: TE2eDepartment): Promise<TE2eDepartment> {
    const { rows } = await this.database.query<{ id: string }>(
      "INSERT INTO departments (tenant_id, parent_id, name, kind) VALUES ($1, $2, $3, 'regular') RETURNING id",
      [tenant.id, parent?.id ?? null, name],
    );
    return { id: rows[0]!.id, name };
  }

  /** The tenant's system "Departed" department (made by a trigger with the tenant). */
  async departedDepartment(tenant: TE2eTenant): Promise<TE2eDepartment> {
    const { rows } = await this.database.query<{ id: string; name: string }>(
      "SELECT id, name FROM departments WHERE tenant_id = $1 AND kind = 'departed'",
      [tenant.id],
    );
    return rows[0]!;
  }

  /** Adds the member to the department; `main` makes it their main department (which must be one of theirs, so after the membership). */
  async addToDepartment(member: { id: string }, department: TE2eDepartment, options: { main?: boolean } = {}): Promise<void> {
    await this.database.query("INSERT INTO department_members (department_id, user_id) VALUES ($1, $2)", [department.id, member.id]);
    if (options.main) {
      await this.database.query("UPDATE users SET main_department_id = $2 WHERE id = $1", [member.id, department.id]);
    }
  }

  async setLocked(member: { id: string }, locked: boolean): Promise<void> {
    await this.database.query("UPDATE users SET state = $2, updated_at = now() WHERE id = $1", [member.id, locked ? "locked" : "active"]);
  }

  /** The member's departments (ids, in id order) and their main one. */
  async departmentsOf(member: { id: string }): Promise<{ departmentIds: string[]; mainDepartmentId: string | null }> {
    const memberships = await this.database.query<{ departmentId: string }>(
      `SELECT department_id AS "departmentId" FROM department_members WHERE user_id = $1 ORDER BY department_id`,
      [member.id],
    );
    const main = await this.database.query<{ mainDepartmentId: string | null }>(
      `SELECT main_department_id AS "mainDepartmentId" FROM users WHERE id = $1`,
      [member.id],
    );
    return { departmentIds: memberships.rows.map((row) => row.departmentId), mainDepartmentId: main.rows[0]?.mainDepartmentId ?? null };
  }

  /** The audit actions recorded about a member, oldest first. */
  async auditActionsOf(member: { id: string }): Promise<string[]> {
    const { rows } = await this.database.query<{ action: string }>(
      "SELECT action FROM audit_events WHERE target_type = 'member' AND target_id = $1 ORDER BY id",
      [member.id],
    );
    return rows.map((row) => row.action);
  }

  /** A new application or role of the tenant, granted to the member (as access.grant records it). */
  async grantNew(tenant: TE2eTenant, member: { id: string }, kind: "application" | "role", name: string): Promise<{ id: string; name: string }> {
    const [catalogue, relation, key] = kind === "application" ? ["applications", "member_applications", "application_id"] : ["roles", "member_roles", "role_id"];
    const { rows } = await this.database.query<{ id: string }>(`INSERT INTO ${catalogue} (tenant_id, name) VALUES ($1, $2) RETURNING id`, [tenant.id, name]);
    await this.database.query(`INSERT INTO ${relation} (user_id, ${key}) VALUES ($1, $2)`, [member.id, rows[0]!.id]);
    return { id: rows[0]!.id, name };
  }

  /** The member's lifecycle state, or null once the member is erased. */
  async stateOf(member: { id: string }): Promise<string | null> {
    const { rows } = await this.database.query<{ state: string }>("SELECT state FROM users WHERE id = $1", [member.id]);
    return rows[0]?.state ?? null;
  }

  /** Ends a deleted member's grace period now and makes their scheduled hard-delete job due; returns how many jobs it moved. */
  async makeHardDeleteDue(member: { id: string }): Promise<number> {
    await this.database.query("UPDATE member_recycle_bin SET hard_delete_at = now() - interval '1 second' WHERE user_id = $1", [member.id]);
    const { rowCount } = await this.database.query("UPDATE graphile_worker._private_jobs SET run_at = now() WHERE key = $1", [
      `member-hard-delete:${member.id}`,
    ]);
    return rowCount ?? 0;
  }
  /**
   * An application set up as a sign-in client (as the console leaves it: one
   * current secret, stored as its SHA-256); its URIs come with setApplicationUris.
   */
  async createSignInApplication(tenant: TE2eTenant, name: string): Promise<{ id: string; name: string; clientId: string; clientSecret: string }> {
    const clientId = `tnr_e2e_${randomUUID().replaceAll("-", "")}`;
    const clientSecret = `tnr_cs_${randomBytes(32).toString("base64url")}`;
    const { rows } = await this.database.query<{ id: string }>(
      `INSERT INTO applications (tenant_id, name, oidc_client_id, oidc_client_type, redirect_uris, post_logout_redirect_uris, backchannel_logout_uri, first_party, oidc_updated_at)
       VALUES ($1, $2, $3, 'confidential', '{}', '{}', NULL, true, now()) RETURNING id`,
      [tenant.id, name, clientId],
    );
    await this.database.query("INSERT INTO application_client_secrets (tenant_id, application_id, secret_hash, hint) VALUES ($1, $2, $3, $4)", [
      tenant.id,
      rows[0]!.id,
      createHash("sha256").update(clientSecret, "utf8").digest("hex"),
      clientSecret.slice(-4),
    ]);
    return { id: rows[0]!.id, name, clientId, clientSecret };
  }

  async setApplicationUris(application: { id: string }, uris: { redirectUri: string; postLogoutRedirectUri: string; backchannelLogoutUri: string }): Promise<void> {
    await this.database.query("UPDATE applications SET redirect_uris = $2, post_logout_redirect_uris = $3, backchannel_logout_uri = $4, oidc_updated_at = now() WHERE id = $1", [
      application.id,
      [uris.redirectUri],
      [uris.postLogoutRedirectUri],
      uris.backchannelLogoutUri,
    ]);
  }

  async grantApplication(member: { id: string }, application: { id: string }): Promise<void> {
    await this.database.query("INSERT INTO member_applications (user_id, application_id) VALUES ($1, $2)", [member.id, application.id]);
  }

  /**
   * Two-step verification turned on with a new authenticator secret, returned
   * for totpCode(). Sealed as server/shared/secret-box.ts seals it, under the
   * e2e server's NEXTAUTH_SECRET (this process does not hold the server's env).
   */
  async enrolAuthenticator(member: { id: string }, nextauthSecret: string): Promise<string> {
    const secret = newTotpSecret();
    const key = Buffer.from(hkdfSync("sha256", nextauthSecret, "tenure", "tenure:mfa-secret:v1", 32));
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(Buffer.from(`member_mfa:${member.id}`));
    const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
    const sealed = `v1.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url")}`;
    await this.database.query("INSERT INTO member_mfa (user_id, secret_encrypted, created_at, enabled_at) VALUES ($1, $2, now(), now())", [member.id, sealed]);
    return secret;
  }
}
