import { Prisma } from "@/server/db/generated/client";
import type { TTransaction } from "@/server/db/client";
import type { TInheritableKind } from "@/server/access/grant-schemas";

// Where grants to departments and groups live (migration
// 20261204190000_access_inheritance). Fixed names, never user input.
const TABLES = {
  department: { role: "department_roles", application: "department_applications" },
  group: { role: "group_roles", application: "group_applications" },
} as const;
const COLUMNS = { role: "role_id", application: "application_id" } as const;

export type TGrantHolder = keyof typeof TABLES;

export function holderGrantTable(holder: TGrantHolder, kind: TInheritableKind) {
  return { tableSql: Prisma.raw(`"${TABLES[holder][kind]}"`), columnSql: Prisma.raw(`"${COLUMNS[kind]}"`) };
}

/** Access changes of one organisation run one at a time (the triggers take the same lock); taking it first keeps every lock in one order. */
export async function lockTenantAccess(tx: TTransaction, tenantId: bigint): Promise<void> {
  await tx.$executeRaw`SELECT tenure_lock_access_of_tenants(ARRAY[${tenantId}]::bigint[])`;
}
