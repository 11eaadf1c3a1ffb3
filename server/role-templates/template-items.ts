import { Prisma } from "@/server/db/generated/client";
import type { TTransaction } from "@/server/db/client";
import { ValidationError } from "@/server/errors";

// The four kinds of thing a role template (and an onboarding) hands out, where
// each lives, and how a set of their ids is resolved within one tenant. Table
// and column names are fixed here, never user input.

export const TEMPLATE_ITEM_KINDS = ["departments", "applications", "roles", "groups"] as const;
export type TTemplateItemKind = (typeof TEMPLATE_ITEM_KINDS)[number];

/** How an item is named in audit events and lists: its id and its name at the time. */
export type TItemReference = { id: string; name: string };
export type TTemplateItems = Record<TTemplateItemKind, TItemReference[]>;

type TKindSpec = { table: string; onlyWhere: Prisma.Sql; field: string; link: string; linkColumn: string; missing: string };

const KINDS: Record<TTemplateItemKind, TKindSpec> = {
  departments: {
    table: "departments",
    // Members join Departed by resigning, never by onboarding.
    onlyWhere: Prisma.sql`AND kind = 'regular'`,
    field: "departmentIds",
    link: "role_template_departments",
    linkColumn: "department_id",
    missing: "A chosen department no longer exists (or is the Departed department)",
  },
  applications: {
    table: "applications",
    onlyWhere: Prisma.empty,
    field: "applicationIds",
    link: "role_template_applications",
    linkColumn: "application_id",
    missing: "A chosen application no longer exists",
  },
  roles: { table: "roles", onlyWhere: Prisma.empty, field: "roleIds", link: "role_template_roles", linkColumn: "role_id", missing: "A chosen role no longer exists" },
  groups: { table: "groups", onlyWhere: Prisma.empty, field: "groupIds", link: "role_template_groups", linkColumn: "group_id", missing: "A chosen group no longer exists" },
};

/** The form field that carries a kind's ids (`departmentIds`, …). */
export function itemField(kind: TTemplateItemKind): string {
  return KINDS[kind].field;
}

/** The tenant's items of `kind` among `ids`, as a query of (id, name): an id of another tenant never matches. */
export function chosenItemsSql(kind: TTemplateItemKind, tenantId: bigint, ids: bigint[]): Prisma.Sql {
  const { table, onlyWhere } = KINDS[kind];
  return Prisma.sql`SELECT id, name FROM ${Prisma.raw(`"${table}"`)} WHERE tenant_id = ${tenantId} AND id = ANY(${ids}::bigint[]) ${onlyWhere}`;
}

/** A set in which some ids did not resolve in this tenant is refused, on the form's field for that kind. */
export function refuseUnresolved(kind: TTemplateItemKind, wanted: number, resolved: number): void {
  if (resolved === wanted) return;
  const { field, missing } = KINDS[kind];
  throw new ValidationError(missing, { [field]: [missing] });
}

export const asReferences = (rows: { id: bigint; name: string }[]): TItemReference[] => rows.map((row) => ({ id: row.id.toString(), name: row.name }));

/** Links the chosen items of one kind to a template, set-based; refuses ids that are not the tenant's. */
export async function linkTemplateItems(tx: TTransaction, tenantId: bigint, templateId: bigint, kind: TTemplateItemKind, ids: string[]): Promise<TItemReference[]> {
  if (ids.length === 0) return [];
  const { link, linkColumn } = KINDS[kind];
  const column = Prisma.raw(`"${linkColumn}"`);
  const rows = await tx.$queryRaw<{ id: bigint; name: string }[]>`
    WITH chosen AS (${chosenItemsSql(kind, tenantId, ids.map((id) => BigInt(id)))}),
    linked AS (
      INSERT INTO ${Prisma.raw(`"${link}"`)} (template_id, ${column}) SELECT ${templateId}, id FROM chosen
      RETURNING ${column} AS id
    )
    SELECT c.id, c.name FROM chosen c JOIN linked l ON l.id = c.id ORDER BY lower(c.name), c.id`;
  refuseUnresolved(kind, ids.length, rows.length);
  return asReferences(rows);
}

/** Removes every item of one kind from a template (an update then links the new set). */
export async function unlinkTemplateItems(tx: TTransaction, templateId: bigint, kind: TTemplateItemKind): Promise<void> {
  await tx.$executeRaw`DELETE FROM ${Prisma.raw(`"${KINDS[kind].link}"`)} WHERE template_id = ${templateId}`;
}

/** A template's items of every kind, by name, as one JSON column each (for the list and the wizard's pre-fill). */
export function templateItemsColumnsSql(templateAlias: string): Prisma.Sql {
  const alias = Prisma.raw(templateAlias);
  const columns = TEMPLATE_ITEM_KINDS.map((kind) => {
    const { table, link, linkColumn } = KINDS[kind];
    return Prisma.sql`coalesce((
      SELECT json_agg(json_build_object('id', i.id::text, 'name', i.name) ORDER BY lower(i.name), i.id)
      FROM ${Prisma.raw(`"${link}"`)} x JOIN ${Prisma.raw(`"${table}"`)} i ON i.id = x.${Prisma.raw(`"${linkColumn}"`)}
      WHERE x.template_id = ${alias}.id), '[]') AS ${Prisma.raw(`"${kind}"`)}`;
  });
  return Prisma.join(columns, ", ");
}
