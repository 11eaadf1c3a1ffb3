import { MEMBER_SORTS, MEMBER_SOURCES, MEMBER_STATUSES } from "@/server/members/schemas";
import type { TMemberSort, TMemberSource, TMemberStatus, TSortOrder } from "@/components/members/member-list-params";

// What the member list's filters and columns call the list's values. Pure.

export const STATUS_LABELS: Record<TMemberStatus | "deleted", string> = {
  active: "Active",
  pending: "Pending",
  locked: "Locked",
  disabled: "Disabled",
  resigned: "Resigned",
  archived: "Archived",
  deleted: "Deleted",
};

export const SOURCE_LABELS: Record<TMemberSource, string> = {
  console: "Console",
  import: "Import",
  ldap: "LDAP",
  self_registration: "Self-registration",
  scim: "SCIM",
};

export const SORT_LABELS: Record<TMemberSort, string> = { name: "Name", created: "Created", lastOnline: "Last online" };

/** The order's words depend on what is sorted: "A to Z" reads better than "ascending" for names. */
const ORDER_LABELS: Record<TMemberSort, Record<TSortOrder, string>> = {
  name: { asc: "A to Z", desc: "Z to A" },
  created: { asc: "Oldest first", desc: "Newest first" },
  lastOnline: { asc: "Longest ago first", desc: "Most recent first" },
};

export const STATUS_OPTIONS = MEMBER_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] }));
export const SOURCE_OPTIONS = MEMBER_SOURCES.map((value) => ({ value, label: SOURCE_LABELS[value] }));
export const SORT_OPTIONS = MEMBER_SORTS.map((value) => ({ value, label: SORT_LABELS[value] }));
export const orderOptions = (sort: TMemberSort) => (["asc", "desc"] as const).map((value) => ({ value, label: ORDER_LABELS[sort][value] }));

export function sourceLabel(source: string): string {
  return SOURCE_LABELS[source as TMemberSource] ?? source;
}

/** "1 member", "2 members". */
export function countMembers(count: number): string {
  return `${count.toLocaleString("en")} member${count === 1 ? "" : "s"}`;
}
