import type { TDatabase } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";

/** A member of the organisation (another organisation's is "not found", as an unknown one). */
export async function findOwnMember(db: TDatabase, tenantId: bigint, memberId: string): Promise<bigint> {
  const member = await db.user.findFirst({ where: { id: BigInt(memberId), tenantId }, select: { id: true } });
  if (!member) throw new NotFoundError("Unknown member");
  return member.id;
}
