import type { TDatabaseOrTransaction } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { BULK_LIFECYCLE_ACTIONS, raisesSystemLevel, type TAlertEventClass } from "@/server/audit/alertable-actions";
import type { TAuditAction } from "@/server/audit/audit-actions";
import { systemRoleName } from "@/server/shared/roles";

// What the events of one audit statement (one alert) say, read at delivery
// time: which classes of alert they can raise, what a rule must check, and
// the words of the notification. The event names the role or policy; the
// database says which permissions that role carries now.

export type TAuditEventRow = {
  id: bigint;
  tenant_id: bigint;
  actor_id: bigint | null;
  actor_directory_id: bigint | null;
  actor_token_id: bigint | null;
  action: TAuditAction;
  target_type: string;
  target_id: bigint;
  changes: Record<string, { before: unknown; after: unknown } | undefined>;
  ip_address: string | null;
};

export type TAlertFacts = {
  lead: TAuditEventRow;
  /** The event the alert opens: the first that matters (an import batch's first promotion, not its first row). */
  linked: TAuditEventRow;
  count: number;
  /** The classes these events can raise, the weightiest first (a notification shows the first that fired). */
  classes: TAlertEventClass[];
  /** sensitive_grant: a raise to admin or owner alerts whatever the patterns. */
  raisesSystemLevel: boolean;
  /** sensitive_grant: the permissions granted or added, matched against each rule's patterns. */
  permissions: string[];
  title: string;
  body: string;
};

type TNamed = { id?: unknown; name?: unknown };
const BULK = new Set<TAuditAction>(BULK_LIFECYCLE_ACTIONS);
const quoted = (name: unknown) => `“${typeof name === "string" ? name : "?"}”`;
const asText = (value: unknown, fallback: string) => (typeof value === "string" ? value : fallback);
const asList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []);

const NAME_SQL: Record<string, Prisma.Sql> = {
  member: Prisma.sql`SELECT full_name::text AS name FROM users`,
  department: Prisma.sql`SELECT name::text FROM departments`,
  group: Prisma.sql`SELECT name::text FROM groups`,
  role: Prisma.sql`SELECT name::text FROM roles`,
  directory: Prisma.sql`SELECT ('Directory ' || name)::text AS name FROM directories`,
  api_token: Prisma.sql`SELECT ('API token ' || name)::text AS name FROM api_tokens`,
};

async function nameOf(db: TDatabaseOrTransaction, tenantId: bigint, type: string, id: bigint | null): Promise<string> {
  if (id === null) return "the system";
  const select = NAME_SQL[type];
  if (!select) return `${type} ${id}`;
  const [row] = await db.$queryRaw<{ name: string }[]>`${select} WHERE id = ${id} AND tenant_id = ${tenantId}`;
  return row?.name ?? `${type} ${id}`;
}

async function permissionsGranted(db: TDatabaseOrTransaction, event: TAuditEventRow): Promise<string[]> {
  const id = (kind: string) => {
    const granted = event.changes[kind]?.after as TNamed | null | undefined;
    return typeof granted?.id === "string" && /^\d{1,19}$/.test(granted.id) ? BigInt(granted.id) : null;
  };
  if (event.action === "member.policy_granted") {
    const policyId = id("policy");
    if (policyId === null) return [];
    const rows = await db.$queryRaw<{ permission: string }[]>`SELECT permission FROM policies WHERE id = ${policyId} AND tenant_id = ${event.tenant_id}`;
    return rows.map((row) => row.permission);
  }
  if (event.action === "role.policies_set") {
    const before = new Set(asList(event.changes.policies?.before));
    return asList(event.changes.policies?.after).filter((permission) => !before.has(permission));
  }
  // A department's role widened to its subtree grants it to everyone below; narrowing grants nothing.
  const widened = event.action === "department.role_scope_changed";
  if (widened && (event.changes.subtree?.after !== true || (event.changes.grantOf?.after as { kind?: string } | null | undefined)?.kind !== "role")) return [];
  const roleId = id(widened ? "grantOf" : "role");
  if (roleId === null) return [];
  const rows = await db.$queryRaw<{ permission: string }[]>`
    SELECT p.permission FROM role_policies rp JOIN policies p ON p.id = rp.policy_id
    WHERE rp.role_id = ${roleId} AND p.tenant_id = ${event.tenant_id} ORDER BY p.permission`;
  return rows.map((row) => row.permission);
}

export async function alertFacts(db: TDatabaseOrTransaction, events: TAuditEventRow[], total = events.length): Promise<TAlertFacts> {
  const lead = events[0]!;
  const count = Math.max(total, events.length);
  // A directory's sync and an API token's caller act as the system, named: "By Directory <name>", "By API token <name>".
  const actor =
    lead.actor_token_id !== null
      ? (await nameOf(db, lead.tenant_id, "api_token", lead.actor_token_id)).replace(/^api_token (\d+)$/, "API token #$1 (deleted)")
      : lead.actor_directory_id !== null
        ? (await nameOf(db, lead.tenant_id, "directory", lead.actor_directory_id)).replace(/^directory (\d+)$/, "Directory #$1 (deleted)")
        : await nameOf(db, lead.tenant_id, "member", lead.actor_id);
  const target = count === 1 ? await nameOf(db, lead.tenant_id, lead.target_type, lead.target_id) : `${count} members`;
  const facts: TAlertFacts = { lead, linked: lead, count, classes: [], raisesSystemLevel: false, permissions: [], title: "", body: "" };
  const by = ` By ${actor}.`;
  const change = (field: string) => lead.changes[field]?.after;

  switch (lead.action) {
    case "member.created":
    case "member.onboarded":
    case "member.imported":
    case "member.updated": {
      facts.classes = ["sensitive_grant"];
      const raised = events.filter((event) => raisesSystemLevel(event.changes));
      facts.raisesSystemLevel = raised.length > 0;
      facts.linked = raised[0] ?? lead;
      const who = raised.length === 1 ? await nameOf(db, lead.tenant_id, "member", facts.linked.target_id) : `${raised.length} members`;
      const level = systemRoleName(Number(facts.linked.changes.sysAdmin?.after ?? 0));
      facts.title = `${who} made ${level === "owner" ? "an owner" : "an admin"}`;
      facts.body = `${who} ${raised.length === 1 ? "now has" : "now have"} the system level ${level}${lead.action === "member.imported" ? " (by an import)" : ""}.${by}`;
      break;
    }
    case "member.role_granted":
    case "member.policy_granted":
    case "department.role_granted":
    case "department.role_scope_changed":
    case "group.role_granted":
    case "role.policies_set": {
      facts.classes = ["sensitive_grant"];
      facts.permissions = [...new Set((await Promise.all(events.map((event) => permissionsGranted(db, event)))).flat())].sort();
      const carries = facts.permissions.length > 0 ? facts.permissions.join(", ") : "no permissions";
      if (lead.action === "role.policies_set") {
        facts.title = `Role ${quoted(target)} widened`;
        facts.body = `Added to the role: ${carries}.${by}`;
      } else {
        const kind = lead.action === "member.policy_granted" ? "Policy" : "Role";
        const granted = ((change(kind.toLowerCase()) ?? change("grantOf")) as TNamed | null | undefined)?.name;
        const holder = lead.target_type === "member" ? target : `${lead.target_type} ${quoted(target)}`;
        facts.title = `${kind} ${quoted(granted)} granted to ${holder}`;
        facts.body = `${kind === "Role" ? "The role carries" : "The policy grants"}: ${carries}.${by}`;
      }
      break;
    }
    case "member.sign_in_throttled":
      facts.classes = ["lockout"];
      facts.title = `Sign-in paused for ${target}`;
      facts.body = `Repeated failed sign-ins paused sign-in to this account until ${asText(change("until"), "later")}.`;
      break;
    case "member.reported_not_me":
      facts.classes = ["lockout"];
      facts.title = `${target} reported a sign-in as not theirs: account locked`;
      facts.body = "The member said a sign-in was not theirs; their account is locked and their sessions ended until an admin unlocks it.";
      break;
    case "member.abnormal_sign_in": {
      const locked = change("outcome") === "locked";
      facts.classes = locked ? ["lockout", "abnormal_sign_in"] : ["abnormal_sign_in"];
      facts.title = `Abnormal sign-in by ${target}${locked ? ": account locked" : ""}`;
      facts.body = `Why it looked abnormal: ${asList(change("reasons")).join(", ").replaceAll("_", " ") || "unknown"}. ${
        locked ? "The sign-in was refused and the member locked." : "The sign-in was allowed."
      }${lead.ip_address ? ` From ${lead.ip_address}.` : ""}`;
      break;
    }
    case "members.exported":
      facts.classes = ["export"];
      facts.title = `Members exported by ${actor}`;
      facts.body = `An export of the member list (${asText((change("export") as { format?: unknown } | undefined)?.format, "file")}).`;
      break;
    case "webhook_endpoint.auto_disabled":
      facts.classes = ["webhook_disabled"];
      facts.title = "A webhook endpoint kept failing and was disabled";
      facts.body = `Every delivery to ${asText(change("url"), "the endpoint")} failed for a day (${typeof change("consecutiveFailures") === "number" ? String(change("consecutiveFailures")) : "many"} attempts in a row). Its events are no longer sent: fix the receiver, enable the endpoint again and replay what it missed from its delivery log.`;
      break;
    default:
      if (BULK.has(lead.action)) {
        facts.classes = ["bulk_lifecycle"];
        const verb = lead.action.replace("member.", "").replaceAll("_", " ");
        facts.title = `Bulk action on ${count} members: ${verb}`;
        facts.body = `One action (${verb}) reached ${count} members.${by}`;
      }
  }
  return facts;
}
