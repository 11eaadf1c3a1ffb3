import type { TDatabaseOrTransaction } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { stateAllowsSignIn } from "@/server/shared/member-states";
import { accessPathsOf, describeAccessPath, type TAccessPath } from "@/server/access/access-paths";
import { coveringPermissions } from "@/server/access/can";
import { ACCESS_KIND_NUMBERS } from "@/server/access-changes/access-changes";
import { findCatalogItem } from "@/server/access/manage-catalog";
import { ZWhoHasInput, ZWhyInput } from "@/server/access/schemas";
import type { z } from "zod";

export type THolder = { memberId: string; username: string; fullName: string; paths: (TAccessPath & { description: string })[] };

/** What a subject resolves to: the catalogue rows whose holding counts (for a permission, every covering policy). */
async function resolveSubject(db: TDatabaseOrTransaction, tenantId: bigint, subject: z.output<typeof ZWhoHasInput>["subject"]) {
  if (subject.kind === "permission") {
    const rows = await db.$queryRaw<{ id: bigint; permission: string }[]>`
      SELECT id, permission FROM policies WHERE tenant_id = ${tenantId} AND permission = ANY(${coveringPermissions(subject.permission)}::text[])`;
    return { kind: "permission" as const, itemIds: rows.map((row) => row.id), label: subject.permission, covering: rows.map((row) => row.permission).sort() };
  }
  const item = await findCatalogItem(db, tenantId, subject.kind, subject.itemId);
  return { kind: subject.kind, itemIds: [item.id], label: item.name, covering: [] as string[] };
}

/**
 * Who holds X, and through what: members (in id order, keyset pages) whose
 * effective access includes the role, application or a policy covering the
 * permission, each with every path. Members who cannot sign in hold nothing
 * and are not listed.
 */
export async function whoHas(db: TDatabaseOrTransaction, tenantId: bigint, rawInput: z.input<typeof ZWhoHasInput>) {
  const input = ZWhoHasInput.parse(rawInput);
  const subject = await resolveSubject(db, tenantId, input.subject);
  const after = input.cursor ? BigInt(input.cursor) : 0n;
  const kind = ACCESS_KIND_NUMBERS[subject.kind];
  // The access profiles that hold the item, then one index range of members per profile
  // (member_access_profiles_profile_idx), each already in id order: only the page is read.
  const rows = subject.itemIds.length === 0 ? [] : await db.$queryRaw<{ id: bigint; username: string; full_name: string }[]>`
    SELECT u.id, u.username::text AS username, u.full_name
    FROM (
      SELECT DISTINCT h.user_id
      FROM (SELECT DISTINCT i.profile_id FROM access_profile_items i WHERE i.kind = ${kind}::smallint AND i.item_id = ANY(${subject.itemIds}::bigint[])) held
      CROSS JOIN LATERAL (
        SELECT m.user_id FROM member_access_profiles m
        WHERE m.profile_id = held.profile_id AND m.user_id > ${after}
        ORDER BY m.user_id LIMIT ${input.limit + 1}
      ) h
      ORDER BY h.user_id LIMIT ${input.limit + 1}
    ) page
    JOIN users u ON u.id = page.user_id AND u.tenant_id = ${tenantId}
    ORDER BY u.id`;
  const members = rows.slice(0, input.limit);
  const paths = await accessPathsOf(db, tenantId, members.map((member) => member.id), { kind: subject.kind, itemIds: subject.itemIds });
  const pathsOf = new Map<string, TAccessPath[]>();
  for (const path of paths) pathsOf.set(path.memberId, [...(pathsOf.get(path.memberId) ?? []), path]);
  return {
    subject: { kind: subject.kind, label: subject.label, coveredBy: subject.covering },
    items: members.map((member) => ({
      memberId: member.id.toString(),
      username: member.username,
      fullName: member.full_name,
      paths: (pathsOf.get(member.id.toString()) ?? []).map((path) => ({ ...path, description: describeAccessPath(path) })),
    })) satisfies THolder[],
    nextCursor: rows.length > input.limit ? members.at(-1)!.id.toString() : null,
  };
}

/**
 * "Why does this member have X?": whether can() allows it, and every path
 * that gives it, in words. Paths are listed even when the member cannot sign
 * in, marked as counting for nothing, so the admin sees what would come back.
 */
export async function explainPermission(db: TDatabaseOrTransaction, tenantId: bigint, rawInput: z.input<typeof ZWhyInput>) {
  const input = ZWhyInput.parse(rawInput);
  const memberId = BigInt(input.memberId);
  const member = await db.user.findFirst({ where: { id: memberId, tenantId }, select: { id: true, state: true } });
  if (!member) throw new NotFoundError("Member not found");
  const subject = await resolveSubject(db, tenantId, { kind: "permission", permission: input.permission });
  const paths = await accessPathsOf(db, tenantId, [memberId], { kind: "permission", itemIds: subject.itemIds });
  const canSignIn = stateAllowsSignIn(member.state);
  return {
    permission: input.permission,
    allowed: canSignIn && paths.length > 0,
    state: member.state,
    canSignIn,
    coveredBy: subject.covering,
    paths: paths.map((path) => ({ ...path, description: describeAccessPath(path) })),
  };
}
