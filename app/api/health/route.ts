import { db } from "@/server/db/client";
import { checkDatabase } from "@/server/db/health";

export const dynamic = "force-dynamic";

/** Readiness: 200 once the app answers and reaches its database. */
export async function GET() {
  const database = await checkDatabase(db());
  return Response.json({ ok: database, database }, { status: database ? 200 : 503 });
}
