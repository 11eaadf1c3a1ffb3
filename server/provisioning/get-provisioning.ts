import type { TDatabase } from "@/server/db/client";
import { findOwnMember } from "@/server/provisioning/find-own-member";
import { ZApplicationRef, ZAttributeMapping, ZMemberProvisioningRef, PROVISIONING_STATUSES, type TProvisioningStatus } from "@/server/provisioning/schemas";
import { findOwnApplication } from "@/server/provisioning/manage-scim-settings";
import type { z } from "zod";

// What Settings → Provisioning shows: the saved settings (never the token),
// how many accounts are in each state, and the dead letters.

export type TProvisioningOverview = {
  applicationId: string;
  applicationName: string;
  configured: boolean;
  settings: { baseUrl: string; deprovisionMode: string; pushGroups: boolean; rateLimitPerSecond: number; attributeMapping: z.infer<typeof ZAttributeMapping>; enabled: boolean; approvedAt: Date | null } | null;
  counts: Record<TProvisioningStatus, number>;
  deadLetters: { id: string; memberId: string; username: string | null; error: string; attempts: number; failedAt: Date }[];
  /** Groups pushed (when the settings push groups), and those whose last attempt failed, with the application's words. */
  groups: { pushed: number; failing: { groupId: string; name: string | null; error: string }[] };
};

export async function getProvisioningOverview(db: TDatabase, tenantId: bigint, rawInput: z.input<typeof ZApplicationRef>): Promise<TProvisioningOverview> {
  const input = ZApplicationRef.parse(rawInput);
  const application = await findOwnApplication(db, tenantId, input.applicationId);
  const [row, grouped, deadLetters, pushedGroups, failingGroups] = await Promise.all([
    db.applicationScimSettings.findUnique({ where: { applicationId: application.id } }),
    db.memberProvisioning.groupBy({ by: ["status"], where: { applicationId: application.id }, _count: { _all: true } }),
    db.$queryRaw<{ id: bigint; user_id: bigint; username: string | null; error: string; attempts: number; failed_at: Date }[]>`
      SELECT d.id, d.user_id, u.username::text AS username, d.error, d.attempts, d.failed_at
      FROM provisioning_dead_letters d LEFT JOIN users u ON u.id = d.user_id
      WHERE d.application_id = ${application.id} AND d.tenant_id = ${tenantId} ORDER BY d.id DESC LIMIT 100`,
    db.provisioningGroup.count({ where: { applicationId: application.id, tenantId, remoteId: { not: null } } }),
    db.$queryRaw<{ group_id: bigint; name: string | null; last_error: string }[]>`
      SELECT p.group_id, g.name, p.last_error FROM provisioning_groups p LEFT JOIN groups g ON g.id = p.group_id
      WHERE p.application_id = ${application.id} AND p.tenant_id = ${tenantId} AND p.last_error IS NOT NULL ORDER BY p.updated_at DESC LIMIT 100`,
  ]);
  const counts = Object.fromEntries(PROVISIONING_STATUSES.map((status) => [status, 0])) as Record<TProvisioningStatus, number>;
  for (const group of grouped) if (group.status in counts) counts[group.status as TProvisioningStatus] = group._count._all;
  return {
    applicationId: application.id.toString(),
    applicationName: application.name,
    configured: row !== null,
    settings: row
      ? {
          baseUrl: row.baseUrl,
          deprovisionMode: row.deprovisionMode,
          pushGroups: row.pushGroups,
          rateLimitPerSecond: row.rateLimitPerSecond,
          attributeMapping: ZAttributeMapping.parse(row.attributeMapping ?? {}),
          enabled: row.enabled,
          approvedAt: row.firstReconciliationApprovedAt,
        }
      : null,
    counts,
    deadLetters: deadLetters.map((letter) => ({
      id: letter.id.toString(), memberId: letter.user_id.toString(), username: letter.username, error: letter.error, attempts: letter.attempts, failedAt: letter.failed_at,
    })),
    groups: { pushed: pushedGroups, failing: failingGroups.map((group) => ({ groupId: group.group_id.toString(), name: group.name, error: group.last_error })) },
  };
}

export type TMemberAccount = { applicationId: string; applicationName: string; status: string; remoteId: string | null; lastError: string | null; deactivatedAt: Date | null; updatedAt: Date };

/** The member page's "Application accounts": one line per application that provisions them. */
export async function listMemberAccounts(db: TDatabase, tenantId: bigint, rawInput: z.input<typeof ZMemberProvisioningRef>): Promise<TMemberAccount[]> {
  const memberId = await findOwnMember(db, tenantId, ZMemberProvisioningRef.parse(rawInput).memberId);
  const rows = await db.$queryRaw<{ application_id: bigint; name: string; status: string; remote_id: string | null; last_error: string | null; deactivated_at: Date | null; updated_at: Date }[]>`
    SELECT p.application_id, a.name, p.status, p.remote_id, p.last_error, p.deactivated_at, p.updated_at
    FROM member_provisioning p JOIN applications a ON a.id = p.application_id
    WHERE p.user_id = ${memberId} AND p.tenant_id = ${tenantId} ORDER BY a.name, p.application_id`;
  return rows.map((row) => ({
    applicationId: row.application_id.toString(), applicationName: row.name, status: row.status, remoteId: row.remote_id,
    lastError: row.last_error, deactivatedAt: row.deactivated_at, updatedAt: row.updated_at,
  }));
}
