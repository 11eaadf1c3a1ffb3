import type { TDatabase } from "@/server/db/client";
import { systemRoleName } from "@/server/auth/roles";
import { ZMemberListInput, type TMemberListInput } from "@/server/members/schemas";

/** One page of a tenant's members, newest id last, by keyset (never OFFSET). */
export async function listMembers(db: TDatabase, tenantId: bigint, rawInput: TMemberListInput) {
  const { limit, cursor } = ZMemberListInput.parse(rawInput);
  const rows = await db.user.findMany({
    where: { tenantId, deletedAt: null, ...(cursor ? { id: { gt: BigInt(cursor) } } : {}) },
    orderBy: { id: "asc" },
    take: limit + 1,
    select: { id: true, username: true, email: true, fullName: true, sysAdmin: true, enabled: true, locked: true, createdAt: true },
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map(({ sysAdmin, ...member }) => ({ ...member, id: member.id.toString(), role: systemRoleName(sysAdmin) })),
    nextCursor: rows.length > limit ? (page.at(-1)?.id.toString() ?? null) : null,
  };
}
