import { z } from "zod";
import type { TDatabase, TDatabaseOrTransaction } from "@/server/db/client";
import { recordAuditEvents } from "@/server/audit/record-audit-event";
import { InvalidTransitionError, NotFoundError, ValidationError } from "@/server/errors";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import { ZEntityId } from "@/server/ids";
import type { TLifecycleActor } from "@/server/lifecycle/member-authority";
import { grantRefusal } from "@/server/shared/member-states";
import { RELATION_TABLES } from "@/server/lifecycle/relations";

export const ZRegrantInput = z.strictObject({
  memberId: ZEntityId("Unknown member"),
  applicationIds: z.array(ZEntityId("Unknown application")).max(500),
  policyIds: z.array(ZEntityId("Unknown policy")).max(500),
});

type TSuggestion = { id: string; name: string };

type TRevoked = { applications?: TSuggestion[]; policies?: TSuggestion[] };

/** What the member's last disable or resignation revoked (its receipt), or null when none. */
async function lastRevoked(db: TDatabaseOrTransaction, tenantId: bigint, memberId: bigint): Promise<{ committedAt: Date; revoked: TRevoked } | null> {
  const receipt = await db.lifecycleReceipt.findFirst({
    where: { tenantId, userId: memberId, action: { in: ["disable", "resign"] } },
    orderBy: { id: "desc" },
    select: { committedAt: true, revoked: true },
  });
  return receipt ? { committedAt: receipt.committedAt, revoked: receipt.revoked as TRevoked } : null;
}

/**
 * "As before": the apps and policies the member's last disable or resignation
 * revoked (from its receipt) that still exist and that the member does not
 * hold again. Enable never restores them silently; the admin picks.
 */
export async function regrantSuggestions(db: TDatabase, tenantId: bigint, memberId: bigint): Promise<{ revokedAt: Date | null; applications: TSuggestion[]; policies: TSuggestion[] }> {
  const receipt = await lastRevoked(db, tenantId, memberId);
  if (!receipt) return { revokedAt: null, applications: [], policies: [] };
  const { revoked } = receipt;
  const appIds = (revoked.applications ?? []).map((item) => BigInt(item.id));
  const policyIds = (revoked.policies ?? []).map((item) => BigInt(item.id));
  const [applications, policies] = await Promise.all([
    db.application.findMany({
      where: { tenantId, id: { in: appIds }, members: { none: { userId: memberId } } },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
    }),
    db.policy.findMany({
      where: { tenantId, id: { in: policyIds }, members: { none: { userId: memberId } } },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
    }),
  ]);
  const out = (items: { id: bigint; name: string }[]) => items.map((item) => ({ id: item.id.toString(), name: item.name }));
  return { revokedAt: receipt.committedAt, applications: out(applications), policies: out(policies) };
}

const NOT_REVOKED = {
  applications: "Only applications the member's last disable or resignation revoked can be granted back",
  policies: "Only policies the member's last disable or resignation revoked can be granted back: grant others from Access",
} as const;

function refuseNotRevoked(kind: "applications" | "policies", ids: string[], revoked: TSuggestion[] = []) {
  const allowed = new Set(revoked.map((item) => item.id));
  if (ids.some((id) => !allowed.has(BigInt(id).toString()))) {
    const field = kind === "applications" ? "applicationIds" : "policyIds";
    throw new ValidationError(NOT_REVOKED[kind], { [field]: [NOT_REVOKED[kind]] });
  }
}

/** Grants the chosen apps and policies back in one transaction, with one audit event. */
export async function regrant(db: TDatabase, actor: TLifecycleActor & TStepUpSession, rawInput: z.input<typeof ZRegrantInput>): Promise<{ applications: number; policies: number }> {
  const input = ZRegrantInput.parse(rawInput);
  const memberId = BigInt(input.memberId);
  return db.$transaction(async (tx) => {
    const member = await tx.user.findFirst({ where: { id: memberId, tenantId: actor.tenantId }, select: { id: true, state: true } });
    if (!member) throw new NotFoundError("Member not found");
    const refusal = grantRefusal("application", member.state);
    if (refusal) throw new InvalidTransitionError(refusal);
    // "As before" means exactly that: only what the last receipt revoked, whoever asks and however recently they proved it.
    const revoked = (await lastRevoked(tx, actor.tenantId, memberId))?.revoked ?? {};
    refuseNotRevoked("applications", input.applicationIds, revoked.applications);
    refuseNotRevoked("policies", input.policyIds, revoked.policies);
    if (input.policyIds.length > 0) await assertStepUp(tx, actor, "access.regrant");
    const grantBack = (kind: "applications" | "policies", ids: string[]) => {
      const { table, key, catalogue } = RELATION_TABLES[kind];
      return tx.$queryRaw<{ name: string }[]>`
        WITH granted AS (
          INSERT INTO ${table} (user_id, ${key}, granted_by)
          SELECT ${memberId}, c.id, ${actor.memberId} FROM ${catalogue} c
          WHERE c.tenant_id = ${actor.tenantId} AND c.id = ANY(${ids.map(BigInt)}::bigint[])
          ON CONFLICT DO NOTHING RETURNING ${key} AS id)
        SELECT c.name FROM granted g JOIN ${catalogue} c ON c.id = g.id`;
    };
    const apps = await grantBack("applications", input.applicationIds);
    const policies = await grantBack("policies", input.policyIds);
    if (apps.length + policies.length > 0) {
      await recordAuditEvents(tx, actor, {
        action: "member.access_regranted",
        targetType: "member",
        targets: [
          {
            targetId: memberId,
            changes: {
              ...(apps.length ? { applications: { before: [], after: apps.map((row) => row.name) } } : {}),
              ...(policies.length ? { policies: { before: [], after: policies.map((row) => row.name) } } : {}),
            },
          },
        ],
      });
    }
    return { applications: apps.length, policies: policies.length };
  });
}
