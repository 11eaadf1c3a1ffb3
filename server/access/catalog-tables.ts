import { Prisma } from "@/server/db/generated/client";
import type { TAccessKind } from "@/server/access/schemas";

// Where each kind lives: its table, the relation that grants it to members,
// and that relation's column. Fixed names, never user input.
export const CATALOG_TABLES = {
  role: { table: "roles", grants: "member_roles", column: "role_id", label: "role" },
  group: { table: "groups", grants: "member_groups", column: "group_id", label: "group" },
  application: { table: "applications", grants: "member_applications", column: "application_id", label: "application" },
  policy: { table: "policies", grants: "member_policies", column: "policy_id", label: "policy" },
} as const satisfies Record<TAccessKind, { table: string; grants: string; column: string; label: string }>;

export function tablesOf(kind: TAccessKind) {
  const entry = CATALOG_TABLES[kind];
  return { ...entry, tableSql: Prisma.raw(`"${entry.table}"`), grantsSql: Prisma.raw(`"${entry.grants}"`), columnSql: Prisma.raw(`"${entry.column}"`) };
}
