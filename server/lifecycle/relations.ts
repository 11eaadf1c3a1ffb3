import { Prisma } from "@/server/db/generated/client";
import type { TTransaction } from "@/server/db/client";

// A member's relationships, by kind. Previewing an offboarding and carrying it
// out both go through relationsOf(), so the dialog lists exactly what the
// action removes.

export const RELATION_KINDS = ["applications", "policies", "roles", "groups", "departments"] as const;
export type TRelationKind = (typeof RELATION_KINDS)[number];

export type TRelation = { memberId: bigint; id: bigint; name: string; isHead?: boolean; isMain?: boolean };
export type TRelationsByKind = Record<TRelationKind, TRelation[]>;

/** Where each kind lives: the member relation table, its key column, and the catalogue it points into. */
export const RELATION_TABLES: Record<TRelationKind, { table: Prisma.Sql; key: Prisma.Sql; catalogue: Prisma.Sql }> = {
  applications: { table: Prisma.sql`member_applications`, key: Prisma.sql`application_id`, catalogue: Prisma.sql`applications` },
  policies: { table: Prisma.sql`member_policies`, key: Prisma.sql`policy_id`, catalogue: Prisma.sql`policies` },
  roles: { table: Prisma.sql`member_roles`, key: Prisma.sql`role_id`, catalogue: Prisma.sql`roles` },
  groups: { table: Prisma.sql`member_groups`, key: Prisma.sql`group_id`, catalogue: Prisma.sql`groups` },
  departments: { table: Prisma.sql`department_members`, key: Prisma.sql`department_id`, catalogue: Prisma.sql`departments` },
};

type TRow = { member_id: bigint; id: bigint; name: string; is_head: boolean | null; is_main: boolean | null };

const toRelation = (row: TRow): TRelation => ({
  memberId: row.member_id,
  id: row.id,
  name: row.name,
  ...(row.is_head === null ? {} : { isHead: row.is_head }),
  ...(row.is_main === null ? {} : { isMain: row.is_main }),
});

function emptyRelations(): TRelationsByKind {
  return { applications: [], policies: [], roles: [], groups: [], departments: [] };
}

/**
 * The members' relationships of the given kinds; with `remove`, they are
 * deleted in the same statement (set-based) and what was deleted is returned.
 */
export async function relationsOf(
  tx: TTransaction,
  memberIds: bigint[],
  kinds: readonly TRelationKind[],
  mode: "read" | "remove",
): Promise<TRelationsByKind> {
  const result = emptyRelations();
  if (memberIds.length === 0) return result;
  for (const kind of kinds) {
    const { table, key, catalogue } = RELATION_TABLES[kind];
    const isDepartments = kind === "departments";
    const extra = isDepartments ? Prisma.sql`r.is_head, (u.main_department_id = r.department_id) AS is_main` : Prisma.sql`NULL::boolean AS is_head, NULL::boolean AS is_main`;
    const rows =
      mode === "read"
        ? await tx.$queryRaw<TRow[]>`
            SELECT r.user_id AS member_id, r.${key} AS id, c.name, ${extra}
            FROM ${table} r JOIN ${catalogue} c ON c.id = r.${key} JOIN users u ON u.id = r.user_id
            WHERE r.user_id = ANY(${memberIds}::bigint[])
            ORDER BY r.user_id, c.name`
        : await tx.$queryRaw<TRow[]>`
            WITH removed AS (
              DELETE FROM ${table} r WHERE r.user_id = ANY(${memberIds}::bigint[])
              RETURNING r.user_id, r.${key} AS id${isDepartments ? Prisma.sql`, r.is_head` : Prisma.empty})
            SELECT removed.user_id AS member_id, removed.id, c.name,
                   ${isDepartments ? Prisma.sql`removed.is_head, (u.main_department_id = removed.id) AS is_main` : Prisma.sql`NULL::boolean AS is_head, NULL::boolean AS is_main`}
            FROM removed JOIN ${catalogue} c ON c.id = removed.id JOIN users u ON u.id = removed.user_id
            ORDER BY removed.user_id, c.name`;
    result[kind] = rows.map(toRelation);
  }
  return result;
}

/** The relations split by member (one pass), for receipts, audit events and the recycle bin. */
export function relationsByMember(relations: TRelationsByKind): (memberId: bigint) => TRelationsByKind {
  const byMember = new Map<bigint, TRelationsByKind>();
  for (const kind of RELATION_KINDS) {
    for (const relation of relations[kind]) {
      let own = byMember.get(relation.memberId);
      if (!own) byMember.set(relation.memberId, (own = emptyRelations()));
      own[kind].push(relation);
    }
  }
  return (memberId) => byMember.get(memberId) ?? emptyRelations();
}

/** JSON-safe form (ids as strings) for audit events, receipts and the recycle bin. */
export function serialiseRelations(relations: TRelationsByKind): Record<TRelationKind, { id: string; name: string; isHead?: boolean; isMain?: boolean }[]> {
  const entries = RELATION_KINDS.map((kind) => [
    kind,
    relations[kind].map(({ memberId: _memberId, id, ...rest }) => ({ id: id.toString(), ...rest })),
  ]);
  return Object.fromEntries(entries) as Record<TRelationKind, { id: string; name: string; isHead?: boolean; isMain?: boolean }[]>;
}
