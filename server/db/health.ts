import type { TDatabase } from "@/server/db/client";

export async function checkDatabase(db: TDatabase): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
