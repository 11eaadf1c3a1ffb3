import { fieldLabel, formatFieldValue } from "@/components/members/member-labels";
import { STATUS_LABELS } from "@/components/members/member-list-labels";
import { ACTION_LABELS } from "@/components/audit/audit-labels";
import type { TAuditAction } from "@/server/audit/audit-actions";

// An audit event's changes as sentences an admin reads: one line per changed
// field, a moment as a moment (rendered by components/date-time.tsx), and no
// line for what did not change ("0 → 0"). Pure: server or client.

/** Text, or a moment to render in the console's one time format. */
export type TSegment = string | { at: string };
export type TAuditLine = { field: string; segments: TSegment[] };
type TChange = { before: unknown; after: unknown };

const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

const isEmpty = (value: unknown) => value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
const moment = (value: unknown): TSegment => (value instanceof Date ? { at: value.toISOString() } : { at: String(value) });
const count = (value: unknown, one: string, many = `${one}s`) => {
  const number = Number(value);
  return `${number.toLocaleString("en")} ${number === 1 ? one : many}`;
};

function valueOf(field: string, value: unknown): TSegment {
  if (value instanceof Date || (typeof value === "string" && ISO_MOMENT.test(value))) return moment(value);
  if (field === "state" && typeof value === "string") return STATUS_LABELS[value as keyof typeof STATUS_LABELS] ?? value;
  if (field === "parentId") return isEmpty(value) ? "the top level" : `department #${String(value)}`;
  return formatFieldValue(field, value) ?? "nothing";
}

/** Fields whose change reads better as a sentence of its own than as "Label: before → after". */
const SENTENCES: Record<string, (change: TChange) => TSegment[] | null> = {
  sessionsEnded: ({ before }) => [`Ended ${count(before, "open session")}`],
  sessions: ({ before }) => [`Ended ${count(before, "session")}`],
  session: () => ["Ended one session"],
  grants: ({ before }) => [`Taken away from ${count(before, "member")} who held it`],
  // The access totals of a transfer, move or role change (its member.access_changed events say who).
  accessChanges: ({ after }) => {
    const totals = (after ?? {}) as { affected?: number; gained?: number; lost?: number };
    return [`Changed the access of ${count(totals.affected ?? 0, "member")}: ${count(totals.gained ?? 0, "item")} gained, ${count(totals.lost ?? 0, "item")} lost`];
  },
  openInvitations: ({ before }) => [`Replaced ${count(before, "earlier invitation")}, whose links no longer work`],
  invitationExpiresAt: ({ after }) => (isEmpty(after) ? null : ["The invitation link works until ", moment(after)]),
  resetLinkExpiresAt: ({ after }) => (isEmpty(after) ? null : ["The reset link works until ", moment(after)]),
  passwordExpiresAt: ({ after }) => (isEmpty(after) ? ["The password no longer expires"] : ["The password expires on ", moment(after)]),
  lockStartDate: ({ after }) => (isEmpty(after) ? null : ["The lock starts on ", moment(after)]),
  lockEndDate: ({ after }) => (isEmpty(after) ? ["Locked until someone unlocks the account"] : ["Locked until ", moment(after)]),
  hardDeleteAt: ({ after }) => (isEmpty(after) ? null : ["Erased for good on ", moment(after), " unless restored before"]),
  scheduledLeaveAt: ({ before, after }) => (isEmpty(after) ? ["The leave planned for ", moment(before), " was cancelled"] : ["Leaves on ", moment(after)]),
  // An application's client secrets (issue 14), named by their last four characters only.
  clientSecret: ({ before, after }) => [isEmpty(after) ? `The client secret ${String(before)} was revoked` : `A new client secret ${String(after)} was issued`],
  clientSecrets: ({ before }) => [`${count(before, "client secret")} deleted`],
  previousSecretsValidUntil: ({ after }) => (isEmpty(after) ? null : ["The previous secret works until ", moment(after)]),
  mfa: ({ after }) => [after ? "Two-step verification turned on" : "Two-step verification turned off"],
  recoveryCodes: ({ after }) => [`${count(after, "new recovery code")}; the earlier ones no longer work`],
  attempt: ({ after }) => {
    const attempt = (after ?? {}) as { at?: string; device?: string | null; ipAddress?: string | null };
    return ["The sign-in of ", moment(attempt.at), ` on ${attempt.device ?? "an unknown device"}${attempt.ipAddress ? ` from ${attempt.ipAddress}` : ""}`];
  },
  // Grants to departments and groups (server/access/change-grants.ts).
  subtree: ({ before, after }) =>
    isEmpty(after) ? [before ? "It reached every department below" : "It applied to this department only"] : [after ? "Reaches every department below" : "Applies to this department only"],
  grantOf: ({ after }) => {
    const grant = (after ?? {}) as { kind?: string; name?: string };
    return [`The ${grant.kind ?? "grant"} “${grant.name ?? "?"}”`];
  },
  // A member's own access change (member.access_changed): what they gained and lost, and the change behind it.
  access: ({ before, after }) => {
    const items = (value: unknown) => ((value ?? []) as { kind?: string; name?: string }[]).map((item) => `${item.kind ?? ""} ${item.name ?? "?"}`.trim()).join(", ");
    const parts = [isEmpty(after) ? null : `Gained ${items(after)}`, isEmpty(before) ? null : `Lost ${items(before)}`].filter((part): part is string => part !== null);
    return parts.length > 0 ? [parts.join("; ")] : null;
  },
  cause: ({ after }) => {
    const cause = (after ?? {}) as { action?: string; targetType?: string; targetId?: string };
    const what = (cause.action && ACTION_LABELS[cause.action as TAuditAction]) ?? cause.action ?? "another change";
    return [`Because of: ${what}${cause.targetType ? ` (${cause.targetType} #${cause.targetId ?? "?"})` : ""}`];
  },
  accessTotals: ({ after }) => {
    const totals = (after ?? {}) as { affected?: number; gained?: number; lost?: number };
    return [`Access changed for ${count(totals.affected ?? 0, "member")}: ${count(totals.gained ?? 0, "grant")} gained, ${count(totals.lost ?? 0, "grant")} lost`];
  },
  notRestored: ({ before }) => ["Not restored, deleted since: ", valueOf("notRestored", before)],
  import: ({ after }) => {
    const file = after as { fileName?: string; validRows?: number } | null;
    return [`File “${file?.fileName ?? "?"}”, ${count(file?.validRows ?? 0, "valid row")}`];
  },
  export: ({ after }) => {
    const { format, searched, ...filters } = (after ?? {}) as Record<string, unknown>;
    const narrowed = Object.entries(filters).filter(([, value]) => !isEmpty(value)).map(([name, value]) => `${fieldLabel(name)} ${formatFieldValue(name, value) ?? ""}`.trim());
    if (searched) narrowed.push("a search");
    return [`${typeof format === "string" ? format.toUpperCase() : "A"} file of ${narrowed.length > 0 ? `the members matching ${narrowed.join(", ")}` : "every member"}`];
  },
};

function sentence(field: string, change: TChange): TSegment[] | null {
  const special = SENTENCES[field];
  if (special) return special(change);
  const label = fieldLabel(field);
  if (isEmpty(change.before)) return [`${label}: `, valueOf(field, change.after)];
  if (isEmpty(change.after)) return [`${label} removed: `, valueOf(field, change.before)];
  return [`${label}: `, valueOf(field, change.before), " → ", valueOf(field, change.after)];
}

/** Whether a change changed nothing: the same value, or empty both times ("0 → 0", "[] → []"). */
export function changedNothing(change: TChange): boolean {
  if (isEmpty(change.before) && isEmpty(change.after)) return true;
  return JSON.stringify(change.before) === JSON.stringify(change.after);
}

/** The event's changes as lines, in the forms' field order; none for what stayed the same. */
export function auditLines(changes: Record<string, TChange> | null | undefined, compare: (a: string, b: string) => number): TAuditLine[] {
  return Object.entries(changes ?? {})
    .filter(([, change]) => change && !changedNothing(change))
    .sort(([a], [b]) => compare(a, b))
    .flatMap(([field, change]) => {
      const segments = sentence(field, change);
      return segments ? [{ field, segments }] : [];
    });
}
