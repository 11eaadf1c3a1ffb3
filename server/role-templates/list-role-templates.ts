import { Prisma } from "@/server/db/generated/client";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { templateItemsColumnsSql, type TItemReference } from "@/server/role-templates/template-items";

export type TRoleTemplate = {
  id: string;
  name: string;
  description: string | null;
  updatedAt: Date;
  departments: TItemReference[];
  applications: TItemReference[];
  roles: TItemReference[];
  groups: TItemReference[];
};

type TRow = Omit<TRoleTemplate, "id"> & { id: bigint };

async function readTemplates(db: TDatabaseOrTransaction, tenantId: bigint, only: bigint | null): Promise<TRoleTemplate[]> {
  const rows = await db.$queryRaw<TRow[]>`
    SELECT t.id, t.name, t.description, t.updated_at AS "updatedAt", ${templateItemsColumnsSql("t")}
    FROM role_templates t
    WHERE t.tenant_id = ${tenantId} ${only === null ? Prisma.empty : Prisma.sql`AND t.id = ${only}`}
    ORDER BY lower(t.name), t.id`;
  return rows.map((row) => ({ ...row, id: row.id.toString() }));
}

/** The tenant's role templates, by name, each with what it hands out (deleted items drop out with their rows). */
export function listRoleTemplates(db: TDatabaseOrTransaction, tenantId: bigint): Promise<TRoleTemplate[]> {
  return readTemplates(db, tenantId, null);
}

/** One template of this tenant, or NotFound: another tenant's id never resolves. */
export async function getRoleTemplate(db: TDatabaseOrTransaction, tenantId: bigint, templateId: bigint | string): Promise<TRoleTemplate> {
  const [template] = await readTemplates(db, tenantId, BigInt(templateId));
  if (!template) throw new NotFoundError("This role template does not exist");
  return template;
}
