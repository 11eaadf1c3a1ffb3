import { db } from "@/server/db/client";
import { checkDatabase } from "@/server/db/health";

/** Readiness: the app answers and reaches its database. */
export async function checkHealth(): Promise<{ ok: boolean; database: boolean }> {
  const database = await checkDatabase(db());
  return { ok: database, database };
}
