import { Prisma } from "@/server/db/generated/client";
import type { TDatabase, TDatabaseOrTransaction } from "@/server/db/client";
import { diffFields, recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import {
  DEFAULT_SECURITY_POLICY,
  ZSecurityPolicy,
  type TAbnormalLoginAction,
  type TMfaRequirement,
  type TSecurityPolicy,
  type TSecurityPolicyInput,
} from "@/server/auth/security-policy-schemas";
import { assertStepUp } from "@/server/auth/step-up";

type TPolicyRow = Omit<TSecurityPolicy, "mfaRequirement" | "abnormalLoginAction"> & { mfaRequirement: string; abnormalLoginAction: string };

const POLICY_FIELDS = {
  idleTimeoutMinutes: true,
  absoluteLifetimeHours: true,
  lockoutThreshold: true,
  lockoutWindowMinutes: true,
  lockoutDurationMinutes: true,
  lockoutGrowthFactor: true,
  lockoutMaxDurationMinutes: true,
  mfaRequirement: true,
  passwordMinLength: true,
  passwordHistoryCount: true,
  passwordExpiryDays: true,
  abnormalLoginAction: true,
} as const;

/** The stored row as a policy (the database's CHECK constraints hold the enums to their values). */
export function policyFromRow(row: TPolicyRow | null): TSecurityPolicy {
  if (!row) return DEFAULT_SECURITY_POLICY;
  return { ...row, mfaRequirement: row.mfaRequirement as TMfaRequirement, abnormalLoginAction: row.abnormalLoginAction as TAbnormalLoginAction };
}

/** The tenant's policy: its saved row, or the defaults when an admin never saved one. */
export async function getSecurityPolicy(db: TDatabaseOrTransaction, tenantId: bigint): Promise<TSecurityPolicy> {
  return policyFromRow(await db.tenantSecurityPolicy.findUnique({ where: { tenantId }, select: POLICY_FIELDS }));
}

/**
 * An admin changes the tenant's security policy: a sensitive operation (step-up
 * seam), recorded with its before/after. New limits apply from the next request
 * (session timeouts) or attempt (lockout, passwords).
 */
export async function updateSecurityPolicy(
  db: TDatabase,
  actor: TActor & { memberId: bigint; sessionId: string },
  rawInput: TSecurityPolicyInput,
): Promise<TSecurityPolicy> {
  const input = ZSecurityPolicy.parse(rawInput);
  await assertStepUp(db, { sessionId: actor.sessionId, memberId: actor.memberId }, "security_policy.update");
  return db.$transaction(async (tx) => {
    // Serialises two admins saving at once, so each audit event's "before" is what it replaced.
    await tx.$executeRaw`SELECT 1 FROM tenants WHERE id = ${actor.tenantId} FOR UPDATE`;
    const before = await getSecurityPolicy(tx, actor.tenantId);
    const changes = diffFields(before, input);
    if (Object.keys(changes).length === 0) return before;
    await tx.tenantSecurityPolicy.upsert({
      where: { tenantId: actor.tenantId },
      create: { tenantId: actor.tenantId, ...input, updatedBy: actor.memberId },
      update: { ...input, updatedBy: actor.memberId },
    });
    await recordAuditEvent(tx, actor, { action: "tenant.security_policy_updated", targetType: "tenant", targetId: actor.tenantId, changes });
    return input;
  });
}

/**
 * The policy's columns of `tenant_security_policies p`, named as TSecurityPolicy,
 * for queries that join the policy to what they read (see policyFromColumns).
 */
export const POLICY_COLUMNS_SQL = Prisma.sql`
  p.tenant_id IS NOT NULL AS "hasPolicy",
  p.idle_timeout_minutes AS "idleTimeoutMinutes", p.absolute_lifetime_hours AS "absoluteLifetimeHours",
  p.lockout_threshold AS "lockoutThreshold", p.lockout_window_minutes AS "lockoutWindowMinutes",
  p.lockout_duration_minutes AS "lockoutDurationMinutes", p.lockout_growth_factor AS "lockoutGrowthFactor",
  p.lockout_max_duration_minutes AS "lockoutMaxDurationMinutes", p.mfa_requirement AS "mfaRequirement",
  p.password_min_length AS "passwordMinLength", p.password_history_count AS "passwordHistoryCount",
  p.password_expiry_days AS "passwordExpiryDays", p.abnormal_login_action AS "abnormalLoginAction"`;

export type TPolicyColumns = { hasPolicy: boolean } & { [K in keyof TPolicyRow]: TPolicyRow[K] | null };

export function policyFromColumns(columns: TPolicyColumns): TSecurityPolicy {
  if (!columns.hasPolicy) return DEFAULT_SECURITY_POLICY;
  const pick = <K extends keyof TPolicyRow>(key: K) => columns[key] as TPolicyRow[K];
  return policyFromRow({
    idleTimeoutMinutes: pick("idleTimeoutMinutes"),
    absoluteLifetimeHours: pick("absoluteLifetimeHours"),
    lockoutThreshold: pick("lockoutThreshold"),
    lockoutWindowMinutes: pick("lockoutWindowMinutes"),
    lockoutDurationMinutes: pick("lockoutDurationMinutes"),
    lockoutGrowthFactor: pick("lockoutGrowthFactor"),
    lockoutMaxDurationMinutes: pick("lockoutMaxDurationMinutes"),
    mfaRequirement: pick("mfaRequirement"),
    passwordMinLength: pick("passwordMinLength"),
    passwordHistoryCount: pick("passwordHistoryCount"),
    passwordExpiryDays: columns.passwordExpiryDays,
    abnormalLoginAction: pick("abnormalLoginAction"),
  });
}
