import type { TAccessKind } from "@/server/access/schemas";

// How the console names each kind of catalogue item, and where its catalogue
// lives. Pure: used by server pages and client components alike.

type TKindLabels = {
  /** "role": in sentences ("Created the role “Support”."). */
  one: string;
  many: string;
  /** "Role": labels. */
  titleOne: string;
  /** "Roles": headings and list names. */
  title: string;
  /** The catalogue page (tab) where items of this kind are created. */
  catalogPath: string;
};

export const KIND_LABELS: Record<TAccessKind, TKindLabels> = {
  role: { one: "role", many: "roles", titleOne: "Role", title: "Roles", catalogPath: "/console/roles?tab=roles" },
  group: { one: "group", many: "groups", titleOne: "Group", title: "Groups", catalogPath: "/console/roles?tab=groups" },
  application: { one: "application", many: "applications", titleOne: "Application", title: "Applications", catalogPath: "/console/apps" },
  policy: { one: "policy", many: "policies", titleOne: "Policy", title: "Policies", catalogPath: "/console/roles?tab=policies" },
};

/** "1 member", "12 members". */
export function countOf(count: number, one: string, many: string): string {
  return `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
}

/** "a role", "an application". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`;
}

/** What the admin confirms before deleting: deleting takes the item away from every member who holds it. */
export function deleteConfirmation(kind: TAccessKind, name: string, memberCount: number): { title: string; message: string } {
  const holders =
    memberCount === 0 ? "No member holds it." : `${countOf(memberCount, "member", "members")} ${memberCount === 1 ? "holds" : "hold"} it; they lose it.`;
  const roles = kind === "policy" ? " Every role that carries it loses it too." : "";
  return { title: `Delete “${name}”?`, message: `${holders}${roles}` };
}

/** The notice after a delete, from the number of grants the server removed. */
export function deletedNotice(name: string, revokedGrants: number): string {
  if (revokedGrants === 0) return `Deleted “${name}”.`;
  return `Deleted “${name}”; ${countOf(revokedGrants, "member", "members")} lost it.`;
}
