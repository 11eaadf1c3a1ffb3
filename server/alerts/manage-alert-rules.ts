import type { TDatabase, TTransaction } from "@/server/db/client";
import { recordAuditEvent, type TChanges } from "@/server/audit/record-audit-event";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import { ForbiddenError, NotFoundError, ValidationError } from "@/server/errors";
import type { TActor } from "@/server/shared/actor";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { ZAlertRuleId, ZAlertRuleInput, ZAlertRuleUpdate, type TAlertRuleInput, type TAlertRuleUpdate } from "@/server/alerts/schemas";
import type { z } from "zod";

// Alert rules are read by every admin and changed by owners only, after a
// step-up: alerts watch what admins do (grants, exports, bulk actions), so an
// admin, or a stolen admin session, must not be able to silence them first.
// Every change is audited.

type TRuleActor = TActor & TStepUpSession & { sysAdmin: number };

export type TAlertRule = Omit<z.output<typeof ZAlertRuleInput>, "memberIds"> & {
  id: string;
  recipients: { memberId: string; fullName: string }[];
  updatedAt: Date;
};

export async function listAlertRules(db: TDatabase, tenantId: bigint): Promise<TAlertRule[]> {
  const rules = await db.alertRule.findMany({ where: { tenantId }, orderBy: [{ eventClass: "asc" }, { id: "asc" }], include: { recipients: true } });
  const memberIds = [...new Set(rules.flatMap((rule) => rule.recipients.map((recipient) => recipient.memberId)))];
  const names = new Map(
    (await db.user.findMany({ where: { tenantId, id: { in: memberIds } }, select: { id: true, fullName: true } })).map((member) => [member.id, member.fullName]),
  );
  return rules.map((rule) => ({
    id: rule.id.toString(),
    eventClass: rule.eventClass as TAlertRule["eventClass"],
    notifyOwners: rule.notifyOwners,
    notifyAdmins: rule.notifyAdmins,
    byConsole: rule.byConsole,
    byMail: rule.byMail,
    policyPatterns: rule.policyPatterns,
    threshold: rule.threshold,
    enabled: rule.enabled,
    updatedAt: rule.updatedAt,
    recipients: rule.recipients.map((recipient) => ({ memberId: recipient.memberId.toString(), fullName: names.get(recipient.memberId) ?? `member #${recipient.memberId}` })),
  }));
}

async function assertOwner(db: TDatabase, actor: TRuleActor): Promise<void> {
  if (actor.sysAdmin < SYSTEM_ROLE.owner) throw new ForbiddenError("Only owners may change alert rules");
  await assertStepUp(db, actor, "alerts.rules");
}

/** Named recipients must be this organisation's admins: the notification centre is in the console. */
async function checkedRecipients(tx: TTransaction, tenantId: bigint, memberIds: string[]): Promise<bigint[]> {
  const ids = [...new Set(memberIds)].map((id) => BigInt(id));
  const admins = await tx.user.count({ where: { tenantId, id: { in: ids }, sysAdmin: { gte: SYSTEM_ROLE.admin }, deletedAt: null } });
  if (admins !== ids.length) throw new ValidationError("Named members must be admins or owners of this organisation", { memberIds: ["Choose admins or owners only"] });
  return ids;
}

const ruleValues = (input: z.output<typeof ZAlertRuleInput>) => ({
  eventClass: input.eventClass,
  notifyOwners: input.notifyOwners,
  notifyAdmins: input.notifyAdmins,
  byConsole: input.byConsole,
  byMail: input.byMail,
  // Patterns only mean something for grants; thresholds only for bulk actions.
  policyPatterns: input.eventClass === "sensitive_grant" ? [...new Set(input.policyPatterns)] : [],
  threshold: input.eventClass === "bulk_lifecycle" ? input.threshold : 10,
  enabled: input.enabled,
});

const auditValues = (values: ReturnType<typeof ruleValues>, memberIds: bigint[]) => ({ ...values, memberIds: memberIds.map(String) });

function asChanges(before: Record<string, unknown> | null, after: Record<string, unknown> | null): TChanges {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: TChanges = {};
  for (const field of fields) {
    const was = before?.[field] ?? null;
    const is = after?.[field] ?? null;
    if (JSON.stringify(was) !== JSON.stringify(is)) changes[field] = { before: was, after: is };
  }
  return changes;
}

export async function createAlertRule(db: TDatabase, actor: TRuleActor, rawInput: TAlertRuleInput) {
  const input = ZAlertRuleInput.parse(rawInput);
  await assertOwner(db, actor);
  return db.$transaction(async (tx) => {
    const memberIds = await checkedRecipients(tx, actor.tenantId, input.memberIds);
    const values = ruleValues(input);
    const rule = await tx.alertRule.create({
      data: { tenantId: actor.tenantId, ...values, recipients: { create: memberIds.map((memberId) => ({ memberId })) } },
      select: { id: true },
    });
    await recordAuditEvent(tx, actor, { action: "alert_rule.created", targetType: "alert_rule", targetId: rule.id, changes: asChanges(null, auditValues(values, memberIds)) });
    return { id: rule.id.toString() };
  });
}

export async function updateAlertRule(db: TDatabase, actor: TRuleActor, rawInput: TAlertRuleUpdate) {
  const { ruleId, ...input } = ZAlertRuleUpdate.parse(rawInput);
  await assertOwner(db, actor);
  return db.$transaction(async (tx) => {
    const current = await tx.alertRule.findFirst({ where: { id: BigInt(ruleId), tenantId: actor.tenantId }, include: { recipients: true } });
    if (!current) throw new NotFoundError("Alert rule not found");
    const memberIds = await checkedRecipients(tx, actor.tenantId, input.memberIds);
    const values = ruleValues(input);
    await tx.alertRule.update({ where: { id: current.id }, data: values });
    await tx.alertRuleRecipient.deleteMany({ where: { ruleId: current.id } });
    await tx.alertRuleRecipient.createMany({ data: memberIds.map((memberId) => ({ ruleId: current.id, memberId })) });
    const { id: _id, tenantId: _tenant, createdAt: _created, updatedAt: _updated, recipients, ...before } = current;
    const changes = asChanges(auditValues(before as ReturnType<typeof ruleValues>, recipients.map((recipient) => recipient.memberId)), auditValues(values, memberIds));
    if (Object.keys(changes).length > 0) await recordAuditEvent(tx, actor, { action: "alert_rule.updated", targetType: "alert_rule", targetId: current.id, changes });
    return { id: ruleId };
  });
}

export async function deleteAlertRule(db: TDatabase, actor: TRuleActor, rawInput: z.input<typeof ZAlertRuleId>) {
  const { ruleId } = ZAlertRuleId.parse(rawInput);
  await assertOwner(db, actor);
  return db.$transaction(async (tx) => {
    const current = await tx.alertRule.findFirst({ where: { id: BigInt(ruleId), tenantId: actor.tenantId }, select: { id: true, eventClass: true } });
    if (!current) throw new NotFoundError("Alert rule not found");
    await tx.alertRule.delete({ where: { id: current.id } });
    await recordAuditEvent(tx, actor, { action: "alert_rule.deleted", targetType: "alert_rule", targetId: current.id, changes: { eventClass: { before: current.eventClass, after: null } } });
    return { deleted: true };
  });
}

/** Who a rule may name: the organisation's admins and owners. */
export async function listAlertRecipientCandidates(db: TDatabase, tenantId: bigint) {
  const admins = await db.user.findMany({
    where: { tenantId, sysAdmin: { gte: SYSTEM_ROLE.admin }, deletedAt: null },
    orderBy: [{ fullName: "asc" }, { id: "asc" }],
    select: { id: true, fullName: true, sysAdmin: true },
    take: 500,
  });
  return admins.map((admin) => ({ memberId: admin.id.toString(), fullName: admin.fullName, owner: admin.sysAdmin >= SYSTEM_ROLE.owner }));
}
