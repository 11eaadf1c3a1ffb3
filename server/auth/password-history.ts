import type { TDatabaseOrTransaction } from "@/server/db/client";

/** The member's most recent earlier password hashes, newest first (the tenant keeps `count`). */
export async function recentPasswordHashes(db: TDatabaseOrTransaction, userId: bigint, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const rows = await db.passwordHistory.findMany({ where: { userId }, orderBy: { id: "desc" }, take: count, select: { passwordHash: true } });
  return rows.map((row) => row.passwordHash);
}

/** Keeps the replaced hash and forgets those beyond the tenant's history length. Call inside the change's transaction. */
export async function rememberReplacedPassword(db: TDatabaseOrTransaction, userId: bigint, replacedHash: string | null, keep: number): Promise<void> {
  if (replacedHash && keep > 0) await db.passwordHistory.create({ data: { userId, passwordHash: replacedHash } });
  await db.$executeRaw`
    DELETE FROM password_history WHERE user_id = ${userId} AND id NOT IN (
      SELECT id FROM password_history WHERE user_id = ${userId} ORDER BY id DESC LIMIT ${keep})`;
}
