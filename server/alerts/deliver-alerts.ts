import type { TDatabase, TTransaction } from "@/server/db/client";
import type { TAlertEventClass } from "@/server/audit/alertable-actions";
import { sendMails, appUrl } from "@/server/mail/send-mail";
import { alertFacts, type TAlertFacts, type TAuditEventRow } from "@/server/alerts/alert-facts";
import { resolveRecipients, type TFiringRule } from "@/server/alerts/alert-recipients";
import { watchedPermissions } from "@/server/alerts/policy-patterns";
import { queueWebhookMessage } from "@/server/audit/webhook-outbox";

// The alerts__deliver job's work (issue 12, item 8): for the events of one
// audit statement, the organisation's enabled rules of the classes they can
// raise decide who is alerted and how; one notification per recipient and
// one outbox mail each, all linking to the (first) audit event. One
// transaction that also writes the alert's alert_deliveries row: a retried or
// duplicated job finds it and writes nothing again.

type TRuleRow = {
  id: bigint;
  event_class: TAlertEventClass;
  notify_owners: boolean;
  notify_admins: boolean;
  by_console: boolean;
  by_mail: boolean;
  policy_patterns: string[];
  threshold: number;
  member_ids: bigint[];
};

export type TDeliveryOutcome = "no such event" | "already delivered" | "no rule fired" | `${number} recipient(s)`;

function fires(rule: TRuleRow, facts: TAlertFacts): boolean {
  if (!facts.classes.includes(rule.event_class)) return false;
  if (rule.event_class === "sensitive_grant") return facts.raisesSystemLevel || watchedPermissions(facts.permissions, rule.policy_patterns).length > 0;
  if (rule.event_class === "bulk_lifecycle") return facts.count >= rule.threshold;
  return true;
}

/**
 * At most this many alerts of one class are mailed per organisation and hour;
 * beyond, they reach the console only. Someone guessing passwords on a
 * thousand accounts starts a thousand throttles: that must not become a
 * thousand mails in every owner's mailbox.
 */
export const ALERT_MAILS_PER_CLASS_PER_HOUR = 20;

async function mailCapReached(tx: TTransaction, tenantId: bigint, eventClass: TAlertEventClass): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ mailed: bigint }[]>`
    SELECT count(*) AS mailed FROM alert_deliveries
    WHERE tenant_id = ${tenantId} AND event_class = ${eventClass} AND mailed AND delivered_at > now() - interval '1 hour'`;
  return Number(row?.mailed ?? 0) >= ALERT_MAILS_PER_CLASS_PER_HOUR;
}

const auditLink = (eventId: bigint) => `/console/audit/${eventId}`;

async function loadEvents(tx: TTransaction, eventIds: bigint[]): Promise<TAuditEventRow[]> {
  const rows = await tx.$queryRaw<TAuditEventRow[]>`
    SELECT id, tenant_id, actor_id, actor_directory_id, actor_token_id, action, target_type, target_id, changes, ip_address FROM audit_events
    WHERE id = ANY(${eventIds}::bigint[]) ORDER BY id`;
  // One statement writes one tenant's one action; anything else in the list is ignored.
  const lead = rows[0];
  return lead ? rows.filter((row) => row.tenant_id === lead.tenant_id && row.action === lead.action) : [];
}

async function loadRules(tx: TTransaction, tenantId: bigint, classes: TAlertEventClass[]): Promise<TRuleRow[]> {
  if (classes.length === 0) return [];
  return tx.$queryRaw<TRuleRow[]>`
    SELECT r.id, r.event_class, r.notify_owners, r.notify_admins, r.by_console, r.by_mail, r.policy_patterns, r.threshold,
           coalesce(array_agg(n.member_id) FILTER (WHERE n.member_id IS NOT NULL), '{}') AS member_ids
    FROM alert_rules r LEFT JOIN alert_rule_recipients n ON n.rule_id = r.id
    WHERE r.tenant_id = ${tenantId} AND r.enabled AND r.event_class = ANY(${classes}::text[])
    GROUP BY r.id ORDER BY r.id`;
}

/** `total`: how many events the statement wrote, when the job names only the first of them. */
export async function deliverAlerts(db: TDatabase, eventIds: bigint[], total?: number): Promise<TDeliveryOutcome> {
  return db.$transaction(async (tx): Promise<TDeliveryOutcome> => {
    const events = await loadEvents(tx, eventIds);
    const lead = events[0];
    if (!lead) return "no such event";
    // Claimed first: a parallel duplicate waits on this row, then finds it taken.
    const claimed = await tx.$executeRaw`
      INSERT INTO alert_deliveries (audit_event_id, tenant_id, recipients) VALUES (${lead.id}, ${lead.tenant_id}, 0) ON CONFLICT DO NOTHING`;
    if (claimed === 0) return "already delivered";
    const facts = await alertFacts(tx, events, total);
    const firing = (await loadRules(tx, lead.tenant_id, facts.classes)).filter((rule) => fires(rule, facts));
    const rules: TFiringRule[] = firing.map((rule) => ({
      id: rule.id,
      notifyOwners: rule.notify_owners,
      notifyAdmins: rule.notify_admins,
      byConsole: rule.by_console,
      byMail: rule.by_mail,
      memberIds: rule.member_ids,
    }));
    const recipients = await resolveRecipients(tx, lead.tenant_id, lead.actor_id, rules);
    if (recipients.length === 0) return "no rule fired";
    const eventClass = facts.classes.find((candidate) => firing.some((rule) => rule.event_class === candidate))!;
    const title = facts.title.slice(0, 200);
    const body = facts.body.slice(0, 2000);
    const toConsole = recipients.filter((recipient) => recipient.byConsole).map((recipient) => recipient.memberId);
    const mailRecipients = (await mailCapReached(tx, lead.tenant_id, eventClass)) ? [] : recipients.filter((recipient) => recipient.byMail);
    await tx.$executeRaw`
      INSERT INTO notifications (tenant_id, recipient_id, audit_event_id, event_class, title, body)
      SELECT ${lead.tenant_id}, r, ${facts.linked.id}, ${eventClass}, ${title}, ${body} FROM unnest(${toConsole}::bigint[]) AS r
      ON CONFLICT (recipient_id, audit_event_id) DO NOTHING`;
    await sendMails(
      tx,
      mailRecipients.map((recipient) => ({
          tenantId: lead.tenant_id,
          memberId: recipient.memberId,
          kind: "alert",
          to: recipient.email,
          subject: `Tenure alert: ${title}`,
          text: `${title}\n\n${body}\n\nThe audit event: ${appUrl(auditLink(facts.linked.id))}\n\nAlert rules: ${appUrl("/console/settings/alerts")}\n`,
        })),
    );
    // alert.raised (issue 15): what fired, never the body (it can name an address); the audit event says the rest.
    await queueWebhookMessage(tx, lead.tenant_id, "alert.raised", {
      alertClass: eventClass,
      title,
      auditEventId: facts.linked.id.toString(),
      recipients: recipients.length,
    });
    await tx.$executeRaw`
      UPDATE alert_deliveries SET event_class = ${eventClass}, recipients = ${recipients.length}, mailed = ${mailRecipients.length > 0}
      WHERE audit_event_id = ${lead.id}`;
    return `${recipients.length} recipient(s)`;
  });
}
